"""How long the cron jobs on spendable balances take: releasing pending points, expiry notices,
and expiring idle balances.

Builds one community in a scratch database with ``--members`` members, each with
``--holds`` review awards whose points are held and due (bulk inserts of consistent ledger rows
and scores: this measures the jobs, not the award path), and half of them quiet for seven
months. Then it runs each job once, timed, with its query count, and checks the aggregates
against the ledger (``rebuild.verify``).

    .venv/bin/python benchmarks/balance_upkeep.py [--members 5000] [--holds 3]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-upkeep.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from gamification import actions, rebuild, upkeep  # noqa: E402
from gamification.models import CommunityGameSettings, LedgerEntry, Score  # noqa: E402
from gamification.setup import ensure_defaults  # noqa: E402
from tenancy.models import Community, Membership  # noqa: E402

POINTS = 10


def build(members: int, holds: int) -> Community:
    call_command("migrate", verbosity=0)
    run = int(time.time())  # the ledger can't be deleted: every run gets its own community
    community = Community.objects.create(name=f"Bench upkeep {run}", slug=f"bench-upkeep-{run}")
    ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(
        pending_days=7, expiry_months=6
    )
    users = User.objects.bulk_create(
        [User(username=f"bench-{run}-{i}", password="!") for i in range(members)],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [Membership(user=user, community=community) for user in users], batch_size=2000
    )
    now = timezone.now()
    quiet = now - timedelta(days=210)
    earned, rows = {}, []
    for n, user in enumerate(users):
        at = quiet if n % 2 else now - timedelta(days=8)
        earned[user.pk] = at
        for h in range(holds):
            rows.append(
                LedgerEntry(
                    community=community,
                    member=user,
                    action=actions.REVIEW_WRITTEN,
                    points=POINTS,
                    key=f"bench:{user.pk}:{h}",
                    created_at=at,
                )
            )
    LedgerEntry.objects.bulk_create(rows, batch_size=2000)
    awards = LedgerEntry.objects.filter(community=community).values_list(
        "pk", "member_id", "created_at"
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                community=community,
                member_id=member_id,
                action=actions.POINTS_HELD,
                points=-POINTS,
                key=f"held:{pk}",
                reason="Wrote a review",
                release_at=at + timedelta(days=7),
                created_at=at,
            )
            for pk, member_id, at in awards
        ],
        batch_size=2000,
    )
    Score.objects.bulk_create(
        [
            Score(
                community=community,
                member_id=member_id,
                lifetime=POINTS * holds,
                balance=0,
                pending=POINTS * holds,
                reached_at=at,
                active_at=at,
            )
            for member_id, at in earned.items()
        ],
        batch_size=2000,
    )
    # ``created_at`` is auto_now_add, so bulk_create wrote "now": backdate per group.
    for at in {quiet, now - timedelta(days=8)}:
        ids = [member_id for member_id, when in earned.items() if when == at]
        rows = LedgerEntry.objects.filter(community=community, member_id__in=ids)
        rows.update(created_at=at)
        rows.filter(action=actions.POINTS_HELD).update(release_at=at + timedelta(days=7))
    rebuild.rebuild(community)  # counts and week/month buckets from the bulk-made ledger
    return community


def timed(label: str, job):
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        summary = job()
        elapsed = time.perf_counter() - started
    print(
        f"  {label}: {summary.rows} rows for {summary.members} members, {summary.points} points "
        f"in {elapsed:.1f} s ({summary.members / elapsed:,.0f} members/s), "
        f"{queries} queries ({queries / max(summary.members, 1):.1f} per member)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--holds", type=int, default=3)
    args = parser.parse_args()
    community = build(args.members, args.holds)
    print(
        f"{connection.vendor}: {args.members} members, {args.members * args.holds} due holds, "
        f"half of the members quiet for seven months"
    )
    now = timezone.now()
    timed("release_pending_points", lambda: upkeep.release_due_points(now=now))
    timed("expiry notices", lambda: upkeep.send_expiry_notices(now=now))
    timed(
        "expire (two weeks later)",
        lambda: upkeep.expire_idle_points(now=now + timedelta(days=15)),
    )
    started = time.perf_counter()
    drift = rebuild.verify(community).drift
    print(f"  verify: {len(drift)} drift in {time.perf_counter() - started:.1f} s")
    for line in drift[:5]:
        print(f"    {line}")


if __name__ == "__main__":
    main()
