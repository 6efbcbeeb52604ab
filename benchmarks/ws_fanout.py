"""Websocket fan-out on one daphne process: how fast recognition reaches the browser.

    .venv/bin/python benchmarks/ws_fanout.py [--sockets 1000] [--awards 200] [--broadcasts 10]

For each channel layer (in-memory, then Redis if reachable at REDIS_URL or
redis://127.0.0.1:6379/0) it starts one daphne process on a scratch SQLite database, opens
``--sockets`` anonymous community sockets plus one member's notification socket, then measures

(a) award -> toast: a points award committed inside the server (notification row stored, event
    pushed after commit) until the member's socket receives it; p50/p99 over ``--awards``;
(b) broadcast: one community event until each of the sockets receives it; p50/p99 over every
    delivery and the time until the last socket has it.

Latency is measured by this process from just before the HTTP trigger is sent, so it includes
the trigger's round trip. Targets: (a) p99 < 150 ms; (b) every socket within 1 s.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path  # noqa: E402

from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CONNECT_BATCH = 100
BROADCAST_MARKER = '"announcement.published"'


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict[str, str]) -> tuple[int, int, str]:
    """Migrate a scratch database; return the member id, community id and session cookie."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from tenancy.models import Community, Membership

    member = User.objects.create_user("bench", password=uuid.uuid4().hex)
    community = Community.objects.create(slug="bench", name="Bench")
    Membership.objects.create(user=member, community=community)
    client = Client()
    client.force_login(member)
    return member.pk, community.pk, f"sessionid={client.cookies['sessionid'].value}"


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-p",
            str(port),
            "benchmarks.support.fanout_asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            import socket

            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"daphne did not start; see {log}")


async def post(port: int, path: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    await reader.read()
    writer.close()
    if b" 204 " not in status:
        raise RuntimeError(f"trigger {path} failed: {status!r}")


async def open_socket(port: int, path: str, cookie: str = "") -> ClientConnection:
    """A plain client: the server's own origin, no proxy, no compression, no keepalive pings."""
    return await connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie} if cookie else None,
        proxy=None,
        compression=None,
        ping_interval=None,
    )


async def wait_for(socket: ClientConnection, event_type: str) -> float:
    while True:
        message = json.loads(await socket.recv())
        if message["type"] == event_type:
            return time.perf_counter()


async def run(port: int, member_id: int, community_id: int, cookie: str, args) -> dict:
    async def open_board():
        socket = await open_socket(port, "/ws/communities/bench/")
        await socket.send(json.dumps({"type": "ping"}))
        await wait_for(socket, "pong")
        return socket

    boards: list[ClientConnection] = []
    for start in range(0, args.sockets, CONNECT_BATCH):
        batch = min(CONNECT_BATCH, args.sockets - start)
        boards += await asyncio.gather(*(open_board() for _ in range(batch)))
    member = await open_socket(port, "/ws/notifications/", cookie)
    await wait_for(member, "notifications.unread")

    # One reader per board socket: stamps each broadcast as it arrives (and keeps buffers
    # empty). It only looks for the marker, so the client stays cheap next to the server.
    arrivals: list[float] = []
    complete = asyncio.Event()

    async def read(socket: ClientConnection) -> None:
        try:
            while True:
                if BROADCAST_MARKER in await socket.recv():
                    arrivals.append(time.perf_counter())
                    if len(arrivals) == len(boards):
                        complete.set()
        except Exception:  # noqa: BLE001 - the socket closes at the end of the run
            return

    readers = [asyncio.create_task(read(board)) for board in boards]

    award_path = f"/bench/award/{member_id}/{community_id}/"
    for _ in range(5):  # warm up
        await post(port, award_path)
        await wait_for(member, "points.awarded")
    toast = []
    for _ in range(args.awards):
        started = time.perf_counter()
        await post(port, award_path)
        toast.append((await wait_for(member, "points.awarded")) - started)

    deliveries, lasts = [], []
    for _ in range(args.broadcasts):
        arrivals.clear()
        complete.clear()
        started = time.perf_counter()
        await post(port, f"/bench/broadcast/{community_id}/")
        await asyncio.wait_for(complete.wait(), 30)
        latencies = [at - started for at in arrivals]
        deliveries += latencies
        lasts.append(max(latencies))
        await asyncio.sleep(0.2)
    for socket in [*boards, member]:
        await socket.close()
    await asyncio.gather(*readers, return_exceptions=True)
    return {"toast": toast, "deliveries": deliveries, "lasts": lasts}


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def report(layer: str, sockets: int, result: dict) -> bool:
    ms = 1000
    toast, deliveries, lasts = result["toast"], result["deliveries"], result["lasts"]
    a_ok = percentile(toast, 99) * ms < 150
    b_ok = max(lasts) < 1
    print(f"\n{layer}: {sockets} community sockets + 1 member socket on one daphne process")
    print(
        f"  (a) award -> toast  n={len(toast)}  p50 {percentile(toast, 50) * ms:6.1f} ms"
        f"  p99 {percentile(toast, 99) * ms:6.1f} ms  max {max(toast) * ms:6.1f} ms"
        f"  [{'ok' if a_ok else 'MISSED'}: p99 < 150 ms]"
    )
    p50, p99 = percentile(deliveries, 50) * ms, percentile(deliveries, 99) * ms
    print(
        f"  (b) broadcast       n={len(lasts)}x{sockets}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        f"  time to last: median {statistics.median(lasts) * ms:6.1f} ms,"
        f" worst {max(lasts) * ms:6.1f} ms  [{'ok' if b_ok else 'MISSED'}: all within 1 s]"
    )
    return a_ok and b_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--awards", type=int, default=200)
    parser.add_argument("--broadcasts", type=int, default=10)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ws-fanout-"))
    env = {
        **os.environ,
        "SQLITE_PATH": str(scratch / "bench.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "development",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX", "CACHE_PREFIX"):
        env.pop(name, None)
    member_id, community_id, cookie = prepare_database(env)

    layers = [("in-memory", {})]
    if redis_reachable():
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        layers.append(
            ("redis", {"REDIS_URL": REDIS_URL, "CHANNEL_PREFIX": prefix, "CACHE_PREFIX": prefix})
        )
    else:
        print(f"Redis not reachable at {REDIS_URL}: measuring the in-memory layer only.")

    all_ok = True
    for layer, extra in layers:
        port = free_port()
        server = start_server({**env, **extra}, port, scratch / f"daphne-{layer}.log")
        try:
            result = asyncio.run(run(port, member_id, community_id, cookie, args))
        finally:
            server.terminate()
            server.wait(timeout=10)
        all_ok = report(layer, args.sockets, result) and all_ok
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
