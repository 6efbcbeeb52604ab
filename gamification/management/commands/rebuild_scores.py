import time

from django.core.management.base import BaseCommand, CommandError

from gamification import rebuild
from tenancy.models import Community

SHOWN_DRIFT = 50


class Command(BaseCommand):
    help = (
        "Rebuild points aggregates (lifetime, balance, counts per action, week and month "
        "points) from the ledger. With --verify, only report drift and exit non-zero if any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--community", metavar="SLUG", help="Only this community.")
        parser.add_argument(
            "--verify", action="store_true", help="Compare, don't write; exit 1 on drift."
        )

    def handle(self, *args, community=None, verify=False, **options):
        communities = Community.objects.order_by("slug")
        if community:
            communities = communities.filter(slug=community)
            if not communities.exists():
                raise CommandError(f"No community with slug {community!r}.")
        started = time.perf_counter()
        drift = 0
        for each in communities:
            if verify:
                report = rebuild.verify(each)
                drift += len(report.drift)
                for line in report.drift[:SHOWN_DRIFT]:
                    self.stdout.write(f"{each.slug}: {line}")
                if len(report.drift) > SHOWN_DRIFT:
                    self.stdout.write(f"{each.slug}: ... {len(report.drift) - SHOWN_DRIFT} more")
            else:
                timings = rebuild.rebuild(each)
                steps = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in timings.items())
                self.stdout.write(f"{each.slug}: rebuilt ({steps})")
        elapsed = time.perf_counter() - started
        if verify and drift:
            raise CommandError(f"Drift found: {drift} aggregate value(s) differ from the ledger.")
        verb = "Verified" if verify else "Rebuilt"
        self.stdout.write(self.style.SUCCESS(f"{verb} {communities.count()} in {elapsed:.1f}s."))
