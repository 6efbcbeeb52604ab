import time

from django.core.management.base import BaseCommand

from core.tasks import enqueue_and_report
from gamification import tasks, upkeep
from gamification.upkeep import Summary


class Command(BaseCommand):
    help = (
        "In communities with point expiry on: warn members whose spendable points expire "
        "within two weeks, then expire the balances whose notice ran out while the member "
        "stayed inactive. Queues the task for a worker (--dry-run counts here instead). Safe "
        "to re-run; run it from cron once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, don't write.")

    def handle(self, *args, dry_run=False, **options):
        started = time.perf_counter()
        if dry_run:
            notices = upkeep.send_expiry_notices(dry_run=True)
            expired = upkeep.expire_idle_points(dry_run=True)
        else:
            result_id, value = enqueue_and_report(tasks.expire_points)
            if value is None:
                self.stdout.write(f"queued expire_points as task {result_id}")
                return
            notices, expired = Summary(**value["notices"]), Summary(**value["expired"])
        would = "would have " if dry_run else ""
        self.stdout.write(
            f"{would}warned {notices.members} members ({notices.points} points); "
            f"{would}expired {expired.points} points of {expired.members} members "
            f"in {time.perf_counter() - started:.2f} s"
        )
