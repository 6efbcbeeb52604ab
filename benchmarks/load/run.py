"""Members under load on the deployed layout: PostgreSQL, Redis and two daphne workers.

    .venv/bin/python benchmarks/load/run.py [--users 50] [--duration 5m] [--pool-size 10]

Brings everything up itself (see ``stack.py``): the PostgreSQL database ``h_load`` dropped and
created again, migrated, seeded with the demo data and ``--users`` load members; Redis database
13 flushed; daphne workers on ports 8130 and 8131 with production settings. Then Locust plays
the members headless for ``--duration`` (``locustfile.py``: forum, topic, reply, helpful vote,
new topic, a notification socket each), half of them on each worker, and everything is stopped.

Prints requests/s and p50/p95/p99 per request type, each p50 also as a multiple of the floor
(the API root's p50 under the same load), and checks the targets: no response >= 500, no
deadlock in the PostgreSQL log (the workers' logs if that log cannot be read), PostgreSQL
connections never above the pool total (workers x ``--pool-size``, polled every second), write
p95 under 500 ms, ``rebuild_scores --verify`` clean. Exits 1 if any target is missed.

``--app-limits`` keeps the product's per-member post and vote rate limits; by default they are
raised so that writes reach the database (level allowances and the vote share still apply).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stack  # noqa: E402

WRITE_P95_TARGET_MS = 500


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="5m", help="Locust run time: 60s, 5m, ...")
    parser.add_argument("--pool-size", type=int, default=10, help="DB_POOL_SIZE per worker")
    parser.add_argument(
        "--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
    )
    parser.add_argument("--database", default="h_load")
    parser.add_argument("--app-limits", action="store_true")
    parser.add_argument("--workdir", type=Path, help="Logs and the summary (default: a temp dir)")
    return parser.parse_args()


def verdict(ok: bool, target: str) -> str:
    return f"[{'ok' if ok else 'MISSED'}: {target}]"


def main() -> int:
    args = arguments()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="load-"))
    layout = stack.Stack(
        workdir=workdir,
        redis_url=args.redis_url,
        members=args.users,
        database=args.database,
        pool_size=args.pool_size,
        app_limits=args.app_limits,
    )
    print(f"Preparing {args.database} ({args.users} load members); logs in {workdir}")
    layout.prepare()
    pg_log = stack.PostgresLog(args.database)
    poller = stack.ConnectionPoller(args.database)
    try:
        layout.start()
        poller.start()
        print(f"Running {args.users} members for {args.duration} on {', '.join(layout.hosts)}")
        locust = layout.locust(args.users, args.duration)
        locust.wait(timeout=stack.duration_seconds(args.duration) + 120)
    finally:
        max_connections = poller.stop()
        layout.stop()
    summary = layout.summary()
    ok, verify_output = layout.verify_scores()
    return report(args, layout, summary, pg_log, max_connections, ok, verify_output)


def report(args, layout, summary, pg_log, max_connections, verify_ok, verify_output) -> int:
    pool_total = len(layout.ports) * args.pool_size
    errors = stack.server_errors(summary)
    deadlocks, where = stack.count_deadlocks(pg_log, [layout.log(p) for p in layout.ports])
    refused_connections = stack.too_many_clients(pg_log)
    write_p95 = stack.write_p95(summary)
    sockets = summary["sockets"]
    print(
        f"\n{args.users} members for {summary['seconds']:.0f} s on {len(layout.ports)} daphne "
        f"workers (DB_POOL_SIZE {args.pool_size} each), PostgreSQL + Redis"
        f"{'' if args.app_limits else ' (post/vote rate limits raised)'}"
    )
    stack.print_requests(summary)
    print(
        f"  sockets: {sockets['open']} members, {sockets['connects']} connects,"
        f" {sockets['connect_failures']} failed connects, closes {sockets['closes'] or '{}'},"
        f" {sockets['notifications_pushed']} notifications pushed"
        f" ({sockets['pushed_twice']} pushed twice), {sockets['caught_up']} caught up"
    )
    checks = [
        (errors == 0, f"responses >= 500: {errors}", "0"),
        (deadlocks == 0, f"deadlocks ({where}): {deadlocks}", "0"),
        (
            max_connections <= pool_total,
            f"PostgreSQL connections: max {max_connections}, pool total {pool_total}",
            "never above the pool total",
        ),
        (
            write_p95 < WRITE_P95_TARGET_MS,
            f"write p95 (worst of reply, vote, topic): {write_p95:.0f} ms",
            f"< {WRITE_P95_TARGET_MS} ms",
        ),
        (verify_ok, "rebuild_scores --verify: " + ("clean" if verify_ok else "DIFFERS"), "clean"),
    ]
    for ok, text, target in checks:
        print(f"  {text}  {verdict(ok, target)}")
    if refused_connections:
        print(f"  'too many clients' refusals in the PostgreSQL log: {refused_connections}")
    if not verify_ok:
        print("    " + verify_output.replace("\n", "\n    ")[-2000:])
    return 0 if all(ok for ok, _, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
