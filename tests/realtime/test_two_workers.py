"""Two daphne processes share Redis: what happens through one reaches a socket held by the other.

Needs a Redis server (``REDIS_URL``, default ``redis://127.0.0.1:6379/0``); skipped otherwise.
Each run uses its own channel and cache prefixes, so it never meets other runs' messages.
"""

import asyncio
import json
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests
from django.db import transaction
from django.test import Client
from notifications.signals import notify
from websockets.asyncio.client import ClientConnection, connect

from gamification import recognitions as rec
from realtime import events
from tests.e2e.conftest import (
    REDIS_URL,
    ROOT,
    redis_reachable,
    server_env,
    share_redis,
    start_daphne,
    stop,
)

pytestmark = [
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shared_redis(settings, tmp_path):
    """This process and two daphne workers on one Redis channel layer and cache."""
    (ROOT / "test-results").mkdir(exist_ok=True)
    env = share_redis(settings, server_env(Path(tmp_path)))
    workers = [start_daphne(env), start_daphne(env)]
    yield [url for _, url in workers]
    for proc, _ in workers:
        stop(proc)


def open_socket(host: str, port: str, path: str, cookie: str = "") -> connect:
    """A plain client: the worker's own origin, no proxy, no compression, no keepalive pings."""
    return connect(
        f"ws://{host}:{port}{path}",
        origin=f"http://{host}:{port}",
        additional_headers={"Cookie": cookie} if cookie else None,
        proxy=None,
        compression=None,
        ping_interval=None,
    )


async def receive_json(socket: ClientConnection, timeout: float | None = None) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def mark_all_read_through(base_url: str, cookie: str) -> int:
    with requests.Session() as http:
        http.headers["Cookie"] = cookie
        page = http.get(f"{base_url}/notifications/", timeout=10)
        token = SimpleCookie(page.headers["Set-Cookie"])["csrftoken"].value
        response = http.post(
            f"{base_url}/notifications/read-all/",
            data={"csrfmiddlewaretoken": token},
            headers={"Cookie": f"{cookie}; csrftoken={token}", "Referer": base_url},
            allow_redirects=False,
            timeout=10,
        )
        return response.status_code


async def joined(socket: ClientConnection) -> None:
    """The consumer handles frames in order: a pong means its connect (and group joins) ran."""
    await socket.send(json.dumps({"type": "ping"}))
    await next_of_type(socket, "pong")


async def next_of_type(socket: ClientConnection, event_type: str, timeout: float = 5) -> dict:
    async def wait():
        while True:
            message = await receive_json(socket)
            if message["type"] == event_type:
                return message

    return await asyncio.wait_for(wait(), timeout)


def test_an_event_made_through_one_worker_reaches_a_socket_on_the_other(
    shared_redis, member, moderator, community
):
    worker_a, worker_b = shared_redis
    notify.send(moderator, recipient=member, verb="waiting for you")
    cookie = session_cookie(member)
    host, port = worker_b.removeprefix("http://").split(":")

    def award_badge():
        collected = rec.Recognitions()
        collected.add(
            rec.BADGE_EARNED, user_id=member.pk, community_id=community.pk, badge="Bridge"
        )
        with transaction.atomic():
            events.publish_on_commit(collected)

    async def scenario():
        async with (
            open_socket(host, port, "/ws/notifications/", cookie) as bell,
            open_socket(host, port, f"/ws/communities/{community.slug}/") as board,
        ):
            assert (await receive_json(bell, timeout=5))["count"] == 1
            await joined(board)

            # A member's action handled by worker A updates the bell held by worker B.
            assert await asyncio.to_thread(mark_all_read_through, worker_a, cookie) == 302
            assert (await next_of_type(bell, "notifications.unread"))["count"] == 0

            # An award committed by another process (the engine in a worker, a command).
            await asyncio.to_thread(award_badge)
            badge = await next_of_type(bell, rec.BADGE_EARNED)
            assert badge["title"] == "You earned the Bridge badge"
            assert (await next_of_type(bell, "notifications.unread"))["count"] == 1
            feed = await next_of_type(board, "feed.recognition")
            assert feed["text"] == "alice earned the Bridge badge"

    asyncio.run(scenario())


def test_leaderboard_pushes_are_coalesced_through_the_shared_cache(shared_redis, community):
    host, port = shared_redis[1].removeprefix("http://").split(":")

    def burst():
        for _ in range(20):
            events.leaderboard_changed(community.pk)

    async def scenario():
        async with open_socket(host, port, f"/ws/communities/{community.slug}/") as board:
            await joined(board)
            await asyncio.to_thread(burst)
            await next_of_type(board, "leaderboard.changed", timeout=2)
            started = asyncio.get_running_loop().time()
            await next_of_type(board, "leaderboard.changed", timeout=4)  # the trailing one
            assert asyncio.get_running_loop().time() - started >= 1.5
            with pytest.raises(TimeoutError):
                await next_of_type(board, "leaderboard.changed", timeout=2.5)

    asyncio.run(scenario())
