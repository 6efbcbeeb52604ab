"""A sequence number per broadcast group, so a client can tell it missed an event.

Every message sent to ``community.<id>`` or ``community.<id>.members`` carries ``seq``: one more
than the previous message to that group. A socket hears exactly one of the two streams for a
community (a community page the first, a member's notification socket the second), so the client
keeps the last ``seq`` per community per socket; any other number than last + 1 means it missed
something (a full channel, a reconnect), and it refetches the board, the feed and its unread
count.

The counter is an atomic ``INCR`` in the cache: Redis in production, shared by every worker. In
development without Redis the cache and the channel layer are both per process, so a per-process
counter is exactly right. When the cache fails (Redis down), a per-process counter stands in:
its numbers do not follow the shared ones, so a client sees at most one false gap and refetches
once; no gap is ever hidden. (Nothing is delivered through a Redis layer while Redis is down.)
"""

import itertools
import logging

from safety.counters import cache

logger = logging.getLogger(__name__)

_fallback: dict[str, itertools.count] = {}


def next_seq(group: str) -> int:
    key = f"realtime:seq:{group}"
    try:
        cache.add(key, 0, timeout=None)
        return cache.incr(key)
    except Exception:
        logger.warning("sequence counter unavailable for %s; counting in this process", group)
        return next(_fallback.setdefault(group, itertools.count(1)))
