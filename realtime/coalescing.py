"""At most one message per window for a key, across every process that shares the cache.

``throttle`` is a leading-edge gate with one trailing send: the first change in a window is sent
at once; later changes in the window set a "pending" key and exactly one process schedules a
trailing send for when the window closes, so the last change is never lost. The keys live in
the Django cache (Redis in production), so several daphne workers share one gate.

A trailing send runs on the serving event loop when this process holds sockets (the in-memory
channel layer is only safe from that loop), otherwise on a timer thread. It never raises: with
Redis down it is logged and skipped (the cache and the channel layer are optional at run time).
"""

import asyncio
import logging
import threading
from collections.abc import Callable

from asgiref.sync import sync_to_async

from safety.counters import cache

logger = logging.getLogger(__name__)

SENT = "sent"
SCHEDULED = "scheduled"
COALESCED = "coalesced"

_serving_loop: asyncio.AbstractEventLoop | None = None


def remember_serving_loop() -> None:
    """Called from a consumer: trailing sends in this process then run on the socket's loop."""
    global _serving_loop
    _serving_loop = asyncio.get_running_loop()


def schedule(delay: float, send: Callable[[], None]) -> None:
    loop = _serving_loop
    if loop is not None and loop.is_running() and not loop.is_closed():
        run = sync_to_async(send, thread_sensitive=False)
        loop.call_soon_threadsafe(loop.call_later, delay, lambda: loop.create_task(run()))
        return
    timer = threading.Timer(delay, send)
    timer.daemon = True
    timer.start()


def throttle(key: str, *, window: int, send: Callable[[], None]) -> str:
    """Send now, or make sure one send follows when the window closes; say which happened."""
    if cache.add(f"{key}:gate", 1, timeout=window):
        send()
        return SENT
    if cache.add(f"{key}:pending", 1, timeout=window + 1):
        schedule(window, lambda: _trailing(key, window=window, send=send))
        return SCHEDULED
    return COALESCED


def _trailing(key: str, *, window: int, send: Callable[[], None]) -> None:
    """The trailing send; it runs on a timer thread or the loop, so it never raises."""
    try:
        cache.delete(f"{key}:pending")
        # If another send opened a new window meanwhile, it already carried this change.
        if cache.add(f"{key}:gate", 1, timeout=window):
            send()
    except Exception:
        logger.exception("trailing send for %s skipped", key)
