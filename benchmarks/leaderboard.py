"""p50/p95 server time of the leaderboard API (top 50 + own rank) per period, on PostgreSQL.

Needs the scale data: ``manage.py seed_scale --members 100000 --actions 2000000`` on the
database in DATABASE_URL. Requests go through the whole Django stack in-process (session,
auth, view, serializer), each as a different logged-in member, so own-rank counting is
exercised from the top of the board to the bottom.

    DATABASE_URL=postgres://.../wt_engine_bench .venv/bin/python benchmarks/leaderboard.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from gamification.management.commands.seed_scale import SLUG  # noqa: E402
from gamification.models import LedgerEntry, Score  # noqa: E402
from gamification.selectors import leaderboard  # noqa: E402
from tenancy.models import Community  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    n = parser.parse_args().requests
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL with the scale data (see the docstring).")
    community = Community.objects.filter(slug=SLUG).first()
    if community is None:
        sys.exit("No scale data: run manage.py seed_scale first.")
    members = Score.objects.filter(community=community).count()
    rows = LedgerEntry.objects.filter(community=community).count()
    print(f"community {SLUG}: {members} scored members, {rows} ledger rows, {n} requests/period")
    rng = random.Random(4)
    ids = list(Score.objects.filter(community=community).values_list("member_id", flat=True))
    viewers = list(User.objects.filter(pk__in=rng.sample(ids, min(len(ids), 100))))
    clients = []
    for viewer in viewers:
        client = Client()
        client.force_login(viewer)
        clients.append(client)
    url = f"/api/v1/communities/{SLUG}/leaderboard/"
    for period in leaderboard.PERIODS:
        timings, sql_times, counts = [], [], []
        for i in range(n + 20):
            client = clients[i % len(clients)]
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, {"period": period, "limit": 50})
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.content
            if i >= 20:  # warm-up excluded
                timings.append(elapsed)
                sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                counts.append(len(queries.captured_queries))
        body = response.json()
        print(
            f"{period:>9}: p50 {statistics.median(timings):6.1f} ms   "
            f"p95 {percentile(timings, 0.95):6.1f} ms   "
            f"SQL p50 {statistics.median(sql_times):5.1f} ms p95 {percentile(sql_times, 0.95):5.1f}"
            f" ms, {max(counts)} queries (entries {len(body['entries'])})"
        )


if __name__ == "__main__":
    main()
