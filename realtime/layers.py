"""Which channel layer carries which group, and the Redis layer with a waiting connection pool.

Two layer aliases keep personal events and community broadcasts apart:

* ``default`` (personal): ``user.<id>`` (recognitions, toasts, the bell, unread counts) and
  ``community.<id>.viewer.<user id>`` (control messages to one member's sockets).
* ``broadcasts``: ``community.<id>`` (leaderboard, public feed, news) and
  ``community.<id>.members`` (news on the members' own sockets).

channels_redis keeps every process-local channel of one layer instance in ONE Redis sorted set
(``<prefix>specific.<instance id>!``) and counts ``capacity`` against that set: all sockets of a
worker share it, and ``channel_capacity`` patterns cannot split it (the key, not the socket, is
what is counted). Each alias is its own layer instance with its own key, so a burst of broadcasts
fills only the broadcast key; a member's toasts and bell keep their own room. A consumer listens
on both (``consumers._EventConsumer``). When ``broadcasts`` is not configured (a test that sets
only ``default``), it falls back to ``default``: one layer, one channel per socket.
"""

from channels.layers import channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer as _RedisChannelLayer
from redis import asyncio as aioredis

PERSONAL = "default"
BROADCASTS = "broadcasts"


def alias_for(group: str) -> str:
    """``community.<id>`` and ``community.<id>.members`` are broadcasts; the rest is personal."""
    parts = group.split(".")
    if parts[0] == "community" and (len(parts) == 2 or parts[2:] == ["members"]):
        return BROADCASTS
    return PERSONAL


def layer(alias: str):
    if alias == BROADCASTS and BROADCASTS not in channel_layers.configs:
        alias = PERSONAL
    return get_channel_layer(alias)


def layer_for(group: str):
    return layer(alias_for(group))


class RedisChannelLayer(_RedisChannelLayer):
    """channels_redis with a pool that WAITS for a free connection instead of raising.

    redis-py's default asyncio pool raises ``MaxConnectionsError`` as soon as ``max_connections``
    (100) are in use: a wave of disconnects (hundreds of ``group_discard`` at once) hit it. This
    pool holds at most ``max_connections`` per worker and layer and queues the rest for up to
    ``pool_timeout`` seconds (each command takes about a millisecond, so the queue drains fast).
    Host options as channels_redis's, plus ``max_connections`` and ``pool_timeout``.
    """

    def create_pool(self, index):
        host = self.hosts[index].copy()
        address = host.pop("address")
        timeout = host.pop("pool_timeout", 10)
        return aioredis.BlockingConnectionPool.from_url(address, timeout=timeout, **host)
