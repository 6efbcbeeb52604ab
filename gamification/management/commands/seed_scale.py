"""Load a large synthetic community for benchmarks: bulk inserts, then one set-based rebuild."""

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from gamification import actions, rebuild, setup
from gamification.models import LedgerEntry
from tenancy.models import Community, Membership

SLUG = "scale-test"
BATCH = 10_000
MIX = [
    (actions.REPLY_POSTED, 2),
    (actions.HELPFUL_VOTE_RECEIVED, 3),
    (actions.ANSWER_POSTED, 5),
    (actions.TOPIC_CREATED, 5),
    (actions.REVIEW_WRITTEN, 10),
    (actions.PHOTO_UPLOADED, 5),
    (actions.ANSWER_ACCEPTED, 15),
    (actions.QUESTION_ASKED, 5),
]
LEDGER_SQL = """
INSERT INTO gamification_ledgerentry
    (community_id, member_id, action, points, key, reason, created_at)
SELECT %s, %s + floor(%s * power(r.skew, 2))::int, a.action, a.points,
       'scale:' || r.g, '', now() - r.age * interval '90 days'
FROM (
    SELECT g, floor(random() * %s)::int AS idx, random() AS skew, random() AS age
    FROM generate_series(1, %s) AS g
) AS r
JOIN (VALUES {values}) AS a(idx, action, points) ON a.idx = r.idx
"""


class Command(BaseCommand):
    help = (
        "Create the 'scale-test' community with N members and M ledger rows (skewed so a few "
        "members are very active), then build its aggregates. PostgreSQL only: it generates "
        "rows inside the database. Idempotent: an existing scale community is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument("--actions", type=int, default=2_000_000)

    def handle(self, *args, members, actions, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (set DATABASE_URL).")
        if members < 1 or actions < 0:
            raise CommandError("--members must be positive and --actions not negative.")
        started = time.perf_counter()
        Community.objects.filter(slug=SLUG).delete()
        User.objects.filter(username__startswith="scale-").delete()
        community = Community.objects.create(slug=SLUG, name="Scale test", time_zone="UTC")
        setup.ensure_defaults(community)
        password = make_password("scale-pass-123")
        first_id = self._members(community, members, password)
        self.stdout.write(f"{members} members in {time.perf_counter() - started:.1f}s")

        t = time.perf_counter()
        values = ", ".join(f"({i}, '{action}', {points})" for i, (action, points) in enumerate(MIX))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                LEDGER_SQL.format(values=values),
                [community.pk, first_id, members, len(MIX), actions],
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE gamification_ledgerentry")
        count = LedgerEntry.objects.filter(community=community).count()
        self.stdout.write(f"{count} ledger rows in {time.perf_counter() - t:.1f}s")

        t = time.perf_counter()
        rebuild.rebuild(community)
        with connection.cursor() as cursor:
            for table in ("gamification_score", "gamification_periodscore"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 (fixed names)
        self.stdout.write(f"aggregates rebuilt in {time.perf_counter() - t:.1f}s")
        self.stdout.write(
            self.style.SUCCESS(f"Scale data ready in {time.perf_counter() - started:.1f}s.")
        )

    def _members(self, community, count: int, password: str) -> int:
        """Create ``count`` users with consecutive ids and memberships; return the first id."""
        with transaction.atomic():
            users = []
            for start in range(0, count, BATCH):
                users += User.objects.bulk_create(
                    User(username=f"scale-{i:06d}", password=password)
                    for i in range(start, min(count, start + BATCH))
                )
            ids = sorted(user.pk for user in users)
            if ids[-1] - ids[0] + 1 != count:
                raise CommandError("User ids are not consecutive; run on a quiet database.")
            for start in range(0, count, BATCH):
                Membership.objects.bulk_create(
                    Membership(user_id=user_id, community=community)
                    for user_id in ids[start : start + BATCH]
                )
        return ids[0]
