"""A daphne worker stopped with SIGTERM closes its sockets with 1012 and leaves its groups."""

import asyncio
import signal
from pathlib import Path

import pytest
import redis
from websockets.exceptions import ConnectionClosed

from realtime import groups, lifecycle
from tests.e2e.conftest import (
    REDIS_URL,
    ROOT,
    redis_reachable,
    server_env,
    share_redis,
    start_daphne,
)
from tests.realtime.test_two_workers import joined, open_socket, receive_json, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_env(tmp_path):
    (ROOT / "test-results").mkdir(exist_ok=True)
    return server_env(Path(tmp_path))


async def hold_until_closed(socket) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), 15)
    return closed.value.rcvd.code


def sigterm_while_connected(env, member, community) -> list[int]:
    proc, url = start_daphne(env)
    host, port = url.removeprefix("http://").split(":")
    cookie = session_cookie(member)

    async def scenario():
        async with (
            open_socket(host, port, "/ws/notifications/", cookie) as bell,
            open_socket(host, port, f"/ws/communities/{community.slug}/") as board,
        ):
            await receive_json(bell, timeout=5)
            await joined(board)
            proc.send_signal(signal.SIGTERM)
            return [await hold_until_closed(bell), await hold_until_closed(board)]

    try:
        codes = asyncio.run(scenario())
        assert proc.wait(timeout=15) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
    return codes


def test_sigterm_closes_sockets_with_1012(worker_env, member, community):
    codes = sigterm_while_connected(worker_env, member, community)
    assert codes == [lifecycle.CLOSE_SERVICE_RESTART] * 2


@pytest.mark.skipif(not redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}")
def test_sigterm_leaves_the_redis_groups(worker_env, settings, member, community):
    env = share_redis(settings, worker_env)
    codes = sigterm_while_connected(env, member, community)
    assert codes == [lifecycle.CLOSE_SERVICE_RESTART] * 2
    client = redis.Redis.from_url(REDIS_URL)
    for alias, group in (
        ("default", groups.user_group(member.pk)),
        ("broadcasts", groups.members_group(community.pk)),
        ("broadcasts", groups.community_group(community.pk)),
    ):
        prefix = settings.CHANNEL_LAYERS[alias]["CONFIG"]["prefix"]
        assert client.zcard(f"{prefix}:group:{group}") == 0, group
