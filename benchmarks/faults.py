"""Faults under load: a worker restart and a 20 s Redis outage while members write.

    .venv/bin/python benchmarks/faults.py [--users 20] [--phase 20] [--outage 20] [--after 40]

Brings up the load layout (``benchmarks/load/stack.py``: database ``h_load`` recreated, two
production-like daphne workers on 8130 and 8131) with its own Redis server on port 6390 (started
here, never the shared one), runs the Locust members (``benchmarks/load/locustfile.py``) with
every accepted contribution and every received notification recorded, and once every member
has logged in and opened its socket:

- after ``--phase`` seconds, restarts the worker on 8131 (SIGTERM; SIGKILL if it is still
  running 20 s later; then started again);
- ``--phase`` seconds after it answers again, stops the Redis server for ``--outage`` seconds,
  then starts it again (empty);
- ``--after`` seconds later, stops the members (sockets reconnect and catch up meanwhile).

Then it checks what the issue asks:

- every contribution answered 2xx has its ledger row (a helpful vote over the vote share has
  none by design: those are named in the workers' log and counted apart);
- every points award of those contributions has its notification row, and no more;
- every notification of a member created while its socket client ran reached that client,
  pushed or through catch-up after a reconnect, and none was pushed twice;
- no response >= 500; ``rebuild_scores --verify`` clean.

HTTP requests sent to the worker while it restarts fail with a connection error (counted
apart: a load balancer would send them elsewhere). Exits 1 if a check fails.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))

import stack  # noqa: E402

REDIS_PORT = 6390
OVER_SHARE = re.compile(r"helpful vote (\d+) over the share")
CONTRIBUTION_ACTIONS = {
    "reply.posted",
    "answer.posted",
    "topic.created",
    "question.asked",
    "helpful_vote.received",
}


class PrivateRedis:
    """A throwaway redis-server on its own port: this one may be stopped at will."""

    def __init__(self, workdir: Path, port: int = REDIS_PORT):
        self.port, self.log = port, workdir / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        for _ in range(50):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on {self.port} did not start; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--phase", type=float, default=20, help="Seconds of load before each fault")
    parser.add_argument("--outage", type=float, default=20, help="Seconds Redis stays down")
    parser.add_argument(
        "--after", type=float, default=40, help="Seconds of load after Redis is back"
    )
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--workdir", type=Path)
    return parser.parse_args()


def inject(layout: stack.Stack, redis: PrivateRedis, args) -> list[str]:
    """Once every member is connected: restart a worker, then stop Redis; return the timeline."""
    started = time.monotonic()
    ready = layout.wait_members_ready()
    timeline = []

    def note(text: str) -> None:
        timeline.append(f"{time.monotonic() - started:5.1f} s {text}")

    note(
        f"all {args.users} members logged in, sockets open"
        if ready
        else "NOT every member logged in with its socket open: going on without them"
    )
    port = layout.ports[-1]
    time.sleep(args.phase)
    note(f"worker {port}: SIGTERM")
    note(f"worker {port}: {layout.stop_worker(port)}; starting it again")
    try:
        layout.start_worker(port)
        note(f"worker {port}: answering again")
    except RuntimeError as exc:  # reported; the checks show what it cost
        note(f"worker {port}: did not come back ({exc})")
    time.sleep(args.phase)
    redis.stop()
    note("Redis stopped")
    time.sleep(args.outage)
    redis.start()
    note("Redis back (empty)")
    time.sleep(args.after)
    note("members stop")
    return timeline


def main() -> int:
    args = arguments()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="faults-"))
    workdir.mkdir(parents=True, exist_ok=True)
    redis = PrivateRedis(workdir)
    redis.start()
    layout = stack.Stack(
        workdir=workdir, redis_url=redis.url, members=args.users, pool_size=args.pool_size
    )
    try:
        print(f"Preparing {layout.database} ({args.users} load members); logs in {workdir}")
        layout.prepare()
        baseline = setup_django(layout)
        pg_log = stack.PostgresLog(layout.database)
        layout.start()
        print(f"Running {args.users} members; a worker restart, then a {args.outage:.0f} s outage")
        locust = layout.locust(args.users, "1h", record=True)  # stopped below, when done
        try:
            timeline = inject(layout, redis, args)
        finally:
            locust.send_signal(signal.SIGTERM)
            locust.wait(timeout=120)
        layout.stop()
        summary = layout.summary()
        ok, verify_output = layout.verify_scores()
        return report(args, layout, summary, timeline, baseline, pg_log, ok, verify_output)
    finally:
        layout.stop()
        redis.stop()


def setup_django(layout: stack.Stack) -> dict:
    """Django in this process, on the run's database; the ids the run's rows will come after."""
    os.environ.update(layout.env())
    import django

    django.setup()
    from notifications.models import Notification

    from gamification.models import LedgerEntry

    return {
        "ledger": LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        "notification": Notification.objects.order_by("-id").values_list("id", flat=True).first()
        or 0,
    }


def over_share_votes(layout: stack.Stack) -> set[int]:
    logs = [layout.log(port).read_text(errors="replace") for port in layout.ports]
    return {int(pk) for log in logs for pk in OVER_SHARE.findall(log)}


def check_ledger(contributions: list[dict], over_share: set[int]) -> tuple[list[str], int]:
    """Contributions answered 2xx that have no ledger row; and votes over the share."""
    from django.contrib.contenttypes.models import ContentType

    from community.models import HelpfulVote, Post
    from gamification.models import LedgerEntry

    post_type = ContentType.objects.get_for_model(Post)
    vote_type = ContentType.objects.get_for_model(HelpfulVote)
    missing, skipped = [], 0
    for item in contributions:
        if item["kind"] == "vote":
            vote = HelpfulVote.objects.filter(
                post_id=item["id"], voter__username=item["member"]
            ).first()
            if vote is not None and vote.pk in over_share:
                skipped += 1
                continue
            source = (vote_type, vote.pk if vote else None)
        elif item["kind"] == "topic":
            post = Post.objects.filter(topic_id=item["id"], is_opening=True).first()
            source = (post_type, post.pk if post else None)
        else:
            source = (post_type, item["id"])
        if (
            source[1] is None
            or not LedgerEntry.objects.filter(
                source_type=source[0], source_id=source[1], reverses__isnull=True
            ).exists()
        ):
            missing.append(f"{item['kind']} {item['id']} by {item['member']}")
    return missing, skipped


def check_notifications(baseline: dict) -> tuple[int, int, int]:
    """Awards of contributions (ledger rows with points) against their points notifications."""
    from notifications.models import Notification

    from gamification.models import LedgerEntry

    awards = Counter(
        LedgerEntry.objects.filter(
            id__gt=baseline["ledger"], points__gt=0, action__in=CONTRIBUTION_ACTIONS
        ).values_list("member_id", "community_id", "action")
    )
    told = Counter()
    for recipient, data in Notification.objects.filter(id__gt=baseline["notification"]).values_list(
        "recipient_id", "data"
    ):
        data = data or {}
        if data.get("type") == "points.awarded" and data.get("action") in CONTRIBUTION_ACTIONS:
            told[(recipient, data.get("community_id"), data["action"])] += 1
    return sum(awards.values()), (awards - told).total(), (told - awards).total()


def check_delivery(members: list[dict], stopped_at: float) -> dict:
    """Each socket client against its member's notification rows while it ran."""
    from notifications.models import Notification

    from accounts.models import User

    until = datetime.fromtimestamp(stopped_at, tz=UTC)
    ids = dict(
        User.objects.filter(username__in=[m["member"] for m in members]).values_list(
            "username", "pk"
        )
    )
    result = Counter()
    for member in members:
        if member["baseline"] is None:
            result["never_connected"] += 1
            continue
        expected = set(
            Notification.objects.filter(
                recipient_id=ids[member["member"]], id__gt=member["baseline"], timestamp__lte=until
            ).values_list("id", flat=True)
        )
        pushed = {int(k): n for k, n in member["pushed"].items()}
        received = set(pushed) | set(member["caught_up"])
        result["expected"] += len(expected)
        result["missing"] += len(expected - received)
        result["pushed_twice"] += sum(1 for n in pushed.values() if n > 1)
        result["both_ways"] += len(set(pushed) & set(member["caught_up"]))
        result["caught_up"] += len(member["caught_up"])
    return result


def report(args, layout, summary, timeline, baseline, pg_log, verify_ok, verify_output) -> int:
    contributions = summary["contributions"]
    kinds = Counter(item["kind"] for item in contributions)
    over_share = over_share_votes(layout)
    no_ledger, skipped = check_ledger(contributions, over_share)
    awards, untold, extra = check_notifications(baseline)
    delivery = check_delivery(summary["members"], summary["stopped_at"])
    errors = stack.server_errors(summary)
    connection_errors = sum(r["statuses"].get("0", 0) for r in summary["requests"].values())
    deadlocks, where = stack.count_deadlocks(pg_log, [layout.log(p) for p in layout.ports])
    sockets = summary["sockets"]
    print(
        f"\nFaults under load: {args.users} members for {summary['seconds']:.0f} s on two "
        f"workers, Redis of their own on :{REDIS_PORT}"
    )
    for line in timeline:
        print(f"  {line}")
    stack.print_requests(summary)
    print(
        f"  sockets: {sockets['connects']} connects, {sockets['connect_failures']} failed"
        f" attempts, closes {sockets['closes'] or '{}'}; connection errors on HTTP requests"
        f" (worker restarting): {connection_errors}; deadlocks ({where}): {deadlocks}"
    )
    print(
        f"  contributions answered 2xx: {len(contributions)} ({dict(kinds)});"
        f" votes over the vote share (no ledger row by design): {skipped}"
    )
    checks = [
        (not no_ledger, f"2xx contributions without their ledger row: {len(no_ledger)}"),
        (
            untold == 0 and extra == 0,
            f"awards {awards}: without their notification {untold}, notifications without an"
            f" award {extra}",
        ),
        (
            delivery["missing"] == 0 and delivery["never_connected"] == 0,
            f"notifications due to {len(summary['members'])} socket clients:"
            f" {delivery['expected']}, never received {delivery['missing']},"
            f" clients never connected {delivery['never_connected']}",
        ),
        (
            delivery["pushed_twice"] == 0,
            f"pushed twice: {delivery['pushed_twice']} (caught up {delivery['caught_up']}, of"
            f" which also pushed {delivery['both_ways']}: the client keeps one by id)",
        ),
        (errors == 0, f"responses >= 500: {errors}"),
        (verify_ok, "rebuild_scores --verify: " + ("clean" if verify_ok else "DIFFERS")),
    ]
    for ok, text in checks:
        print(f"  {text}  [{'ok' if ok else 'MISSED'}]")
    for line in no_ledger[:10]:
        print(f"    no ledger row: {line}")
    if not verify_ok:
        print("    " + verify_output.replace("\n", "\n    ")[-2000:])
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
