import time

from django.core.management.base import BaseCommand

from gamification import upkeep


class Command(BaseCommand):
    help = (
        "Make pending points spendable once their hold ends (communities with pending days "
        "set). Safe to re-run; run it from cron, hourly or daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, don't write.")

    def handle(self, *args, dry_run=False, **options):
        started = time.perf_counter()
        summary = upkeep.release_due_points(dry_run=dry_run)
        verb = "would release" if dry_run else "released"
        self.stdout.write(
            f"{verb} {summary.points} points from {summary.rows} holds for "
            f"{summary.members} members in {time.perf_counter() - started:.2f} s"
        )
