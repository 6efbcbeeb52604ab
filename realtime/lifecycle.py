"""The live sockets of this worker process: their registry, group refresh and graceful shutdown.

* **Registry**: a consumer registers once it joined its groups and accepted, and leaves the
  registry when it disconnects.
* **Refresh**: group memberships expire after ``group_expiry`` (settings: ``CHANNEL_GROUP_EXPIRY``,
  300 s) so a crashed worker's memberships vanish within minutes. While a socket lives, one task
  per process re-adds its memberships every third of that time, so live sockets never expire.
* **Graceful shutdown**: the first registration installs a SIGTERM / SIGINT handler (daphne has
  no lifespan events; its reactor is running by then, so this handler replaces the reactor's).
  On the signal every live socket leaves its groups and is closed with 1012 (service restart: the
  client reconnects to another worker and catches up), then the previous handler runs and daphne
  stops. Bounded by ``SHUTDOWN_SECONDS``: a stuck socket never holds the restart. The test suite
  turns this off (``REALTIME_SIGNAL_HANDLERS``): its sockets live inside the pytest process.
"""

import asyncio
import logging
import signal
import threading
import weakref

from django.conf import settings

logger = logging.getLogger(__name__)

CLOSE_SERVICE_RESTART = 1012
SERVICE_CLOSE_CODES = (1012, 1013)  # service restart, try again later
SHUTDOWN_SECONDS = 5
SIGNALS = (signal.SIGTERM, signal.SIGINT)

_live: "weakref.WeakSet" = weakref.WeakSet()
_refresher: asyncio.Task | None = None
_installed = False
_stopping = False


def register(consumer) -> None:
    """Called from the serving loop once ``consumer`` joined its groups and accepted."""
    global _refresher
    _live.add(consumer)
    _install_signal_handlers()
    loop = asyncio.get_running_loop()
    if _refresher is None or _refresher.done() or _refresher.get_loop() is not loop:
        _refresher = loop.create_task(_refresh_forever())


def unregister(consumer) -> None:
    _live.discard(consumer)


def live() -> list:
    """The live sockets served by the running loop (a test process runs one loop per test)."""
    loop = asyncio.get_running_loop()
    return [consumer for consumer in list(_live) if consumer.loop is loop]


def refresh_seconds() -> float:
    """A third of the group expiry: two refreshes may fail before a membership lapses."""
    return max(1.0, settings.CHANNEL_GROUP_EXPIRY / 3)


async def refresh_all() -> None:
    for consumer in live():
        try:
            await consumer.rejoin()
        except Exception:
            logger.warning("could not refresh a socket's groups", exc_info=True)


async def _refresh_forever() -> None:
    while live():
        await asyncio.sleep(refresh_seconds())
        await refresh_all()


async def close_all(code: int = CLOSE_SERVICE_RESTART) -> int:
    """Leave every live socket's groups and close it with ``code``; return how many."""
    consumers = live()
    await asyncio.gather(*(consumer.shut(code) for consumer in consumers), return_exceptions=True)
    return len(consumers)


def _install_signal_handlers() -> None:
    global _installed
    if _installed or not settings.REALTIME_SIGNAL_HANDLERS:
        return
    if threading.current_thread() is not threading.main_thread():
        return
    _installed = True
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        previous = signal.getsignal(signum)
        signal.signal(signum, _handler(loop, previous))


def _handler(loop: asyncio.AbstractEventLoop, previous):
    def handle(signum, frame):
        global _stopping
        if _stopping:  # a second signal: stop now
            _chain(signum, frame, previous)
            return
        _stopping = True
        loop.call_soon_threadsafe(lambda: loop.create_task(_shut_down(signum, frame, previous)))

    return handle


async def _shut_down(signum, frame, previous) -> None:
    try:
        closed = await asyncio.wait_for(close_all(), SHUTDOWN_SECONDS)
        logger.info("closed %d sockets with %d before stopping", closed, CLOSE_SERVICE_RESTART)
        # Let the close frames leave before the reactor drops the connections.
        await asyncio.sleep(0.2)
    except Exception:
        logger.exception("graceful socket shutdown did not finish")
    finally:
        _chain(signum, frame, previous)


def _chain(signum, frame, previous) -> None:
    """Hand over to whoever handled the signal before (daphne's reactor: stop)."""
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_DFL:
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)


def allow_service_close_codes() -> None:
    """Let daphne send 1012 (service restart) and 1013 (try again later).

    Both are registered close codes a server may send (RFC 6455, IANA registry) and browsers
    pass them to ``onclose``, but autobahn (daphne's websocket library) only lets an application
    close with 1000 or 3000-4999: it raised, and the socket died without a close frame (1006).
    Called once from ``config/asgi.py``; every other code keeps daphne's own path.
    """
    from daphne.ws_protocol import WebSocketProtocol

    original = WebSocketProtocol.serverClose
    if getattr(original, "allows_service_codes", False):
        return

    def server_close(self, code=None):
        if code in SERVICE_CLOSE_CODES:
            self.sendCloseFrame(code=code, isReply=False)
        else:
            original(self, code)

    server_close.allows_service_codes = True
    WebSocketProtocol.serverClose = server_close
