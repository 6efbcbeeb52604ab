"""Cron: remind members who joined a challenge that ends soon and haven't finished it.

Run hourly, e.g. ``0 * * * * manage.py remind_ending_challenges --hours 24``; it queues
``cms.tasks.remind_ending_challenges`` for a worker. Each member gets at most one reminder per
challenge, however often it runs.
"""

from django.core.management.base import BaseCommand

from cms import tasks
from core.tasks import enqueue_and_report


class Command(BaseCommand):
    help = "Remind members whose challenge ends within --hours (default 24) to finish it."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours: int, **options):
        result_id, sent = enqueue_and_report(tasks.remind_ending_challenges, hours)
        if sent is None:
            self.stdout.write(f"Queued the reminders as task {result_id}.")
        else:
            self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
