"""Publishing a challenge to a large community: the editor's publish only queues the fan-out.

Builds, in a scratch database, one community with ``--members`` members (bulk inserts) and one
with none, each with the demo page tree. Then it times, with the database task backend:

- the publish (``revision.publish()`` in one transaction, with its commit callbacks: what the
  editor's publish request does) in the empty community: the floor;
- the same publish in the large community: it must stay within the floor plus ``--slack``
  seconds and under one second, since it writes one announcement row and queues one task;
- the queued task run by a worker (``db_worker --batch``): the notification rows, in batches.

    .venv/bin/python benchmarks/challenge_publish.py [--members 100000] [--slack 0.5]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["TASKS_BACKEND"] = "database"
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-publish.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from notifications.models import Notification  # noqa: E402

from accounts.models import User  # noqa: E402
from cms import demo  # noqa: E402
from cms.models import (  # noqa: E402
    ChallengeAnnouncement,
    ChallengeIndexPage,
    ChallengePage,
    CommunityHomePage,  # noqa: E402
)
from gamification import actions  # noqa: E402
from tenancy.models import Community, Membership  # noqa: E402


def community_with(members: int, run: int, label: str) -> Community:
    community = Community.objects.create(name=f"Bench {label} {run}", slug=f"bench-{label}-{run}")
    users = User.objects.bulk_create(
        [User(username=f"bench-{label}-{run}-{i}", password="!") for i in range(members)],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(user=user, community=community) for user in users], batch_size=5000
    )
    demo.seed([community])
    return community


def draft(community: Community, run: int) -> ChallengePage:
    home = CommunityHomePage.objects.get(community=community)
    index = ChallengeIndexPage.objects.child_of(home).get()
    now = timezone.now()
    challenge = ChallengePage(
        title=f"Bench challenge {run}",
        slug=f"bench-challenge-{run}",
        summary="Timed.",
        goal_action=actions.PHOTO_UPLOADED,
        goal_count=2,
        reward_points=10,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        live=False,
    )
    index.add_child(instance=challenge)
    return challenge


def publish(challenge: ChallengePage) -> float:
    """Publish as the editor's request does: one transaction, then its commit callbacks."""
    revision = challenge.save_revision()
    started = time.perf_counter()
    with transaction.atomic():
        revision.publish()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--slack", type=float, default=0.5)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    run = int(time.time())
    started = time.perf_counter()
    empty = community_with(0, run, "empty")
    large = community_with(options.members, run, "large")
    print(f"built {options.members:,} members in {time.perf_counter() - started:.1f} s")

    floor = publish(draft(empty, run))
    challenge = draft(large, run + 1)
    seconds = publish(challenge)
    rows_in_request = Notification.objects.filter(target_object_id=str(challenge.pk)).count()
    print(f"publish, empty community (floor): {floor * 1000:8.1f} ms")
    print(
        f"publish, {options.members:,} members:   {seconds * 1000:8.1f} ms "
        f"({rows_in_request} notification rows written by the request)"
    )

    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    task_seconds = time.perf_counter() - started
    announcement = ChallengeAnnouncement.objects.get(challenge=challenge)
    print(
        f"fan-out task (worker): {announcement.recipients:,} rows in {task_seconds:.2f} s "
        f"({announcement.recipients / task_seconds:,.0f} rows/s)"
    )

    ok = (
        rows_in_request == 0
        and seconds < 1.0
        and seconds <= floor + options.slack
        and announcement.recipients == options.members
    )
    print("OK" if ok else "FAILED: the publish request did more than queue the fan-out")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
