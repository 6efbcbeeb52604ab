import time

from django.core.management.base import BaseCommand

from core.tasks import enqueue_and_report
from gamification import tasks, upkeep
from gamification.upkeep import Summary


class Command(BaseCommand):
    help = (
        "Make pending points spendable once their hold ends (communities with pending days "
        "set). Queues the task for a worker (--dry-run counts here instead). Safe to re-run; "
        "run it from cron, hourly or daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, don't write.")

    def handle(self, *args, dry_run=False, **options):
        started = time.perf_counter()
        if dry_run:
            summary = upkeep.release_due_points(dry_run=True)
        else:
            result_id, value = enqueue_and_report(tasks.release_pending_points)
            if value is None:
                self.stdout.write(f"queued release_pending_points as task {result_id}")
                return
            summary = Summary(**value)
        verb = "would release" if dry_run else "released"
        self.stdout.write(
            f"{verb} {summary.points} points from {summary.rows} holds for "
            f"{summary.members} members in {time.perf_counter() - started:.2f} s"
        )
