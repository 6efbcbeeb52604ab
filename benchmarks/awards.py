"""Awards per second through record_action vs a bare single-row ledger insert.

Runs against the database in the environment: SQLite by default (a scratch file, migrated on
the fly), PostgreSQL with DATABASE_URL. Each award and each bare insert is its own transaction,
as in production. Two award figures: the engine alone (real-time publishing switched off), and
the full path including the after-commit publish (notification row + channel-layer send).

    .venv/bin/python benchmarks/awards.py [--n 2000]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-awards.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from gamification import actions  # noqa: E402
from gamification.awards import record_action  # noqa: E402
from gamification.models import LedgerEntry  # noqa: E402
from gamification.setup import ensure_defaults  # noqa: E402
from realtime import events  # noqa: E402
from tenancy.models import Community, Membership  # noqa: E402

MEMBERS = 200
MIX = [
    actions.REPLY_POSTED,
    actions.ANSWER_POSTED,
    actions.REVIEW_WRITTEN,
    actions.TOPIC_CREATED,
    actions.HELPFUL_VOTE_RECEIVED,
    actions.PHOTO_UPLOADED,
]


def setup(tag: str):
    Community.objects.filter(slug=f"bench-{tag}").delete()
    User.objects.filter(username__startswith=f"bench-{tag}-").delete()
    community = Community.objects.create(slug=f"bench-{tag}", name=f"Bench {tag}")
    ensure_defaults(community)
    users = User.objects.bulk_create(
        User(username=f"bench-{tag}-{i}", password="!") for i in range(MEMBERS)
    )
    users = list(User.objects.filter(username__startswith=f"bench-{tag}-").order_by("pk"))
    Membership.objects.bulk_create(Membership(user=u, community=community) for u in users)
    return community, users


def bare(community, users, n: int, prefix: str = "run") -> float:
    started = time.perf_counter()
    for i in range(n):
        LedgerEntry.objects.create(
            community=community,
            member=users[i % MEMBERS],
            action=MIX[i % len(MIX)],
            points=5,
            key=f"bare:{prefix}:{community.pk}:{i}",
        )
    return n / (time.perf_counter() - started)


def awards(community, users, n: int, prefix: str = "run") -> float:
    started = time.perf_counter()
    for i in range(n):
        member = users[i % MEMBERS]
        record_action(
            member,
            community,
            MIX[i % len(MIX)],
            community,
            actor=users[(i + 1) % MEMBERS],
            key=f"award:{prefix}:{community.pk}:{i}",
        )
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"database: {vendor}, {n} operations each, {MEMBERS} members, one transaction each")

    community, users = setup("bare")
    bare(community, users, 200, "warm")
    bare_rate = bare(community, users, n)

    community, users = setup("engine")
    real_publish = events.publish_on_commit
    events.publish_on_commit = lambda recognitions: None
    try:
        awards(community, users, 200, "warm")
        engine_rate = awards(community, users, n)
    finally:
        events.publish_on_commit = real_publish

    community, users = setup("full")
    full_rate = awards(community, users, n)

    print(f"bare ledger insert:               {bare_rate:8.0f} /s")
    print(f"record_action (engine only):      {engine_rate:8.0f} /s")
    print(f"record_action + publish:          {full_rate:8.0f} /s")
    print(f"ratio engine vs bare insert:      {bare_rate / engine_rate:8.2f}x  (target <= 5x)")
    print(f"ratio with publish vs bare:       {bare_rate / full_rate:8.2f}x")
    for tag in ("bare", "engine", "full"):
        Community.objects.filter(slug=f"bench-{tag}").delete()
        User.objects.filter(username__startswith=f"bench-{tag}-").delete()


if __name__ == "__main__":
    main()
