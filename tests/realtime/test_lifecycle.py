"""Live sockets of a worker: refused with 1013 without Redis, closed with 1012 on shutdown,
memberships renewed while they live, and a sequence number per community broadcast stream."""

import time

import pytest
import time_machine
from channels.db import database_sync_to_async
from django.test import override_settings

from realtime import consumers, events, groups, layers, lifecycle, sequence
from safety.counters import cache
from tests.realtime.test_consumers import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

DOWN = "redis://127.0.0.1:1/0"
LAYERS_DOWN = {
    alias: {"BACKEND": "realtime.layers.RedisChannelLayer", "CONFIG": {"hosts": [DOWN]}}
    for alias in (layers.PERSONAL, layers.BROADCASTS)
}


def in_memory_layers(**config) -> dict:
    return {
        alias: {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": config}
        for alias in (layers.PERSONAL, layers.BROADCASTS)
    }


async def expect_close(communicator, code: int) -> None:
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": code}


async def test_sockets_are_refused_with_1013_when_the_channel_layer_is_down(member, community):
    with override_settings(CHANNEL_LAYERS=LAYERS_DOWN):
        for path, user in (
            ("/ws/notifications/", member),
            (f"/ws/communities/{community.slug}/", None),
        ):
            socket, connected = await open_socket(path, user)
            assert connected  # accepted, then closed: the browser sees the code
            await expect_close(socket, consumers.CLOSE_TRY_AGAIN_LATER)
            await socket.disconnect()
        assert lifecycle.live() == []


async def test_shutdown_closes_every_socket_with_1012_and_leaves_its_groups(member, community):
    bell, _ = await open_socket("/ws/notifications/", member)
    await receive_until(bell, "notifications.unread")
    board, _ = await open_socket(f"/ws/communities/{community.slug}/")
    assert len(lifecycle.live()) == 2

    assert await lifecycle.close_all() == 2
    await expect_close(bell, lifecycle.CLOSE_SERVICE_RESTART)
    await expect_close(board, lifecycle.CLOSE_SERVICE_RESTART)
    assert lifecycle.live() == []

    # Nothing reaches the closed sockets any more: they left every group.
    await database_sync_to_async(events.push_unread_count)(member.pk)
    await database_sync_to_async(events.leaderboard_changed)(community.pk)
    assert await bell.receive_nothing(timeout=0.5)
    assert await board.receive_nothing(timeout=0.5)
    await bell.disconnect()
    await board.disconnect()


async def test_live_sockets_renew_their_memberships_and_stale_ones_expire(community):
    with override_settings(CHANNEL_LAYERS=in_memory_layers(group_expiry=300)):
        group = groups.community_group(community.pk)
        broadcasts = layers.layer_for(group)
        board, _ = await open_socket(f"/ws/communities/{community.slug}/")
        # A membership left behind by a worker that crashed: nobody renews it.
        stale = await broadcasts.new_channel()
        await broadcasts.group_add(group, stale)
        started = time.time()
        with time_machine.travel(started + 250, tick=False):
            await lifecycle.refresh_all()
        with time_machine.travel(started + 400, tick=False):
            await broadcasts.group_send(group, {"type": events.HANDLER, "text": '{"type": "x"}'})
            members = broadcasts.groups[group]
            assert stale not in members and len(members) == 1
        assert (await board.receive_json_from(timeout=3))["type"] == "x"
        await board.disconnect()


async def test_each_broadcast_stream_counts_its_own_sequence(member, make_community):
    first = await database_sync_to_async(make_community)("first")
    second = await database_sync_to_async(make_community)("second")
    sockets = {
        community.pk: (await open_socket(f"/ws/communities/{community.slug}/"))[0]
        for community in (first, second)
    }

    def publish(community):
        events.publish_community_event(
            community.pk, {"type": "announcement.published", "title": "News"}
        )

    for community in (first, second, first, first, second):
        await database_sync_to_async(publish)(community)
    for community, expected in ((first, [1, 2, 3]), (second, [1, 2])):
        seen = [
            (await receive_until(sockets[community.pk], "announcement.published"))["seq"]
            for _ in expected
        ]
        assert seen == expected
    for socket in sockets.values():
        await socket.disconnect()


def test_sequence_counts_on_in_this_process_when_the_cache_fails(monkeypatch):
    monkeypatch.setattr(sequence, "_fallback", {})
    assert [sequence.next_seq("community.9") for _ in range(2)] == [1, 2]

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)
    assert [sequence.next_seq("community.9") for _ in range(2)] == [1, 2]
