"""How long "export my data" takes for a big account, how big the zip is, and the peak memory.

Builds one member with many posts (each with a revision), ledger rows and notifications in a
scratch database (bulk inserts: this measures the export, not the award path), then writes the
archive the way the view does, once timed and once under tracemalloc for the peak of Python's
allocations.

    .venv/bin/python benchmarks/export.py [--posts 20000] [--ledger 50000]
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-export.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from notifications.models import Notification  # noqa: E402

from accounts import selectors  # noqa: E402
from accounts.models import User  # noqa: E402
from community.models import Post, PostRevision, Topic  # noqa: E402
from gamification.models import LedgerEntry  # noqa: E402
from tenancy.models import Community, Membership  # noqa: E402

BODY = "A reasonably long post about grinders, burrs and water temperature. " * 8


def build(posts: int, ledger: int) -> User:
    call_command("migrate", verbosity=0)
    User.objects.filter(username="bench-exporter").delete()
    Community.objects.filter(slug="bench-export").delete()
    community = Community.objects.create(name="Bench export", slug="bench-export")
    user = User.objects.create_user("bench-exporter", "bench@example.org", "x")
    Membership.objects.create(user=user, community=community)
    topic = Topic.objects.create(community=community, author=user, title="Everything")
    Post.objects.bulk_create(
        [Post(topic=topic, author=user, body=BODY, body_html=BODY) for _ in range(posts)],
        batch_size=2000,
    )
    PostRevision.objects.bulk_create(
        [
            PostRevision(post_id=pk, body="earlier")
            for pk in Post.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                community=community, member=user, action="reply.posted", points=5, key=f"b:{i}"
            )
            for i in range(ledger)
        ],
        batch_size=2000,
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient=user, actor=community, verb="earned points", timestamp=now)
            for _ in range(posts // 4)
        ],
        batch_size=2000,
    )
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--ledger", type=int, default=50000)
    args = parser.parse_args()
    user = build(args.posts, args.ledger)
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        archive = selectors.export_file(user)
    elapsed = time.perf_counter() - started
    # A second run measures memory: tracemalloc slows everything down, so it is not timed.
    tracemalloc.start()
    selectors.export_file(user).close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = archive.seek(0, 2)
    archive.close()
    print(
        f"{connection.vendor}: {args.posts} posts (+revisions), {args.ledger} ledger rows, "
        f"{args.posts // 4} notifications -> zip {size / 1e6:.1f} MB in {elapsed:.1f}s, "
        f"{len(queries)} queries, peak Python memory {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
