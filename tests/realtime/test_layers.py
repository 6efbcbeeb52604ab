"""Personal events and community broadcasts never share capacity; the Redis pool waits."""

import asyncio
import uuid

import pytest
from django.test import override_settings

from realtime import groups, layers
from tests.e2e.conftest import REDIS_URL, redis_reachable

pytestmark = pytest.mark.skipif(
    not redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}"
)


def redis_layers(capacity: int, **host) -> dict:
    prefix = f"layers-{uuid.uuid4().hex[:8]}"
    return {
        alias: {
            "BACKEND": "realtime.layers.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **host}],
                "capacity": capacity,
                "prefix": f"{prefix}-{alias}",
            },
        }
        for alias in (layers.PERSONAL, layers.BROADCASTS)
    }


def test_groups_map_to_their_layer():
    assert layers.alias_for(groups.user_group(1)) == layers.PERSONAL
    assert layers.alias_for(groups.viewer_group(1, 2)) == layers.PERSONAL
    assert layers.alias_for(groups.community_group(1)) == layers.BROADCASTS
    assert layers.alias_for(groups.members_group(1)) == layers.BROADCASTS


async def test_a_full_broadcast_queue_leaves_room_for_personal_events():
    with override_settings(CHANNEL_LAYERS=redis_layers(capacity=5)):
        personal, broadcasts = layers.layer(layers.PERSONAL), layers.layer(layers.BROADCASTS)
        # Two sockets of one worker, each with a channel on both layers; nobody reads yet.
        sockets = [(await personal.new_channel(), await broadcasts.new_channel()) for _ in range(2)]
        for _, board in sockets:
            await broadcasts.group_add(groups.community_group(1), board)
        await personal.group_add(groups.user_group(7), sockets[0][0])
        for n in range(20):  # a burst far beyond the capacity
            await broadcasts.group_send(groups.community_group(1), {"type": "b", "n": n})
        await personal.group_send(groups.user_group(7), {"type": "toast"})

        assert await asyncio.wait_for(personal.receive(sockets[0][0]), 5) == {"type": "toast"}
        await personal.flush()
        await broadcasts.flush()


async def test_a_disconnect_wave_waits_for_pool_connections_instead_of_failing():
    with override_settings(CHANNEL_LAYERS=redis_layers(capacity=5, max_connections=3)):
        layer = layers.layer(layers.BROADCASTS)
        channels = [await layer.new_channel() for _ in range(300)]
        group = groups.community_group(2)
        await asyncio.gather(*(layer.group_add(group, channel) for channel in channels))
        await asyncio.gather(*(layer.group_discard(group, channel) for channel in channels))
        connection = layer.connection(0)
        assert await connection.zcard(f"{layer.prefix}:group:{group}") == 0
        await layer.flush()
