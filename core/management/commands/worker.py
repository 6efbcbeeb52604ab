"""Run one background worker for the configured queue: ``db_worker`` (django-tasks-db) or
``rqworker`` (RQ, with the RQ scheduler so deferred tasks and retries run). ``make run``
starts one beside daphne; production runs as many as it needs, on any machine."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background task worker for TASKS_BACKEND (database or rq)."

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "rq":
            call_command(
                "rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=True
            )
        elif settings.TASKS_BACKEND == "database":
            call_command("db_worker", queue_name="default")
        else:
            self.stdout.write("TASKS_BACKEND=immediate runs tasks in place: no worker needed.")
