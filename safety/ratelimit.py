"""Fixed-window rate limits on the shared cache.

Counters live in Django's default cache, which is Redis in production: ``cache.add`` and
``cache.incr`` are atomic there, so every worker process counts against the same number. Limits
are named and configured in ``settings.RATE_LIMITS`` as ``"name": (max_hits, window_seconds)``;
each can be overridden with an environment variable ``RATE_LIMIT_<NAME>=hits/seconds``.

Redis is optional at run time: when the shared cache cannot be reached, the counters fall back to
this process's memory (a per-process limit, so a member may get up to workers x the budget) and a
warning is logged at most once a minute. A contribution never fails because Redis is down.
"""

import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from safety.counters import cache

logger = logging.getLogger(__name__)

# How often, at most, the "shared cache unreachable" warning is logged (seconds).
WARN_EVERY = 60

TOO_MANY = "You're doing that too often. Please try again in {wait}."


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets; 0 when allowed

    @property
    def message(self) -> str:
        return TOO_MANY.format(wait=humanize_wait(self.retry_after))


class RateLimited(Exception):
    """Raised by services when a limit is hit; views turn it into a 429 or a form error."""

    def __init__(self, verdict: Verdict):
        super().__init__(verdict.message)
        self.verdict = verdict

    @property
    def retry_after(self) -> int:
        return self.verdict.retry_after


def humanize_wait(seconds: int) -> str:
    if seconds < 60:
        return f"{max(seconds, 1)} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def limit_for(name: str) -> tuple[int, int]:
    return settings.RATE_LIMITS[name]


def _key(name: str, ident: str, window_start: int) -> str:
    return f"rl:{name}:{ident}:{window_start}"


def _window(name: str) -> tuple[int, int, int]:
    hits, window = limit_for(name)
    now = int(time.time())
    start = now - now % window
    return hits, start, start + window - now


def hit(name: str, ident: str) -> Verdict:
    """Count one attempt; refuse once the window's budget is spent."""
    hits, start, remaining = _window(name)
    key = _key(name, ident, start)
    try:
        count = _shared_incr(key, remaining + 1)
    except Exception as exc:  # Redis down: count in this process instead
        _warn_unreachable(exc)
        count = _local.incr(key, remaining + 1)
    if count > hits:
        return Verdict(False, remaining)
    return Verdict(True, 0)


def _shared_incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.add(key, 1, timeout=timeout)
        return 1


def check(name: str, ident: str) -> Verdict:
    """Look without counting (e.g. is this account locked?)."""
    hits, start, remaining = _window(name)
    key = _key(name, ident, start)
    try:
        count = cache.get(key, 0)
    except Exception as exc:
        _warn_unreachable(exc)
        count = _local.get(key)
    return Verdict(count < hits, 0 if count < hits else remaining)


def enforce(name: str, ident: str) -> None:
    verdict = hit(name, ident)
    if not verdict.allowed:
        raise RateLimited(verdict)


def reset(name: str, ident: str) -> None:
    _, start, _ = _window(name)
    key = _key(name, ident, start)
    _local.delete(key)
    try:
        cache.delete(key)
    except Exception as exc:
        _warn_unreachable(exc)


class _LocalCounters:
    """Per-process fallback counters with expiry, used only while the shared cache is down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, timeout: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, expires = self._counts.get(key, (0, now + timeout))
            if expires <= now:
                count, expires = 0, now + timeout
            self._counts[key] = (count + 1, expires)
            return count + 1

    def get(self, key: str) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if expires > time.monotonic() else 0

    def delete(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


_local = _LocalCounters()
_last_warning = 0.0
_warning_lock = threading.Lock()


def _warn_unreachable(exc: Exception) -> None:
    """Log that the shared cache is unreachable, at most once every ``WARN_EVERY`` seconds."""
    global _last_warning
    now = time.monotonic()
    with _warning_lock:
        if _last_warning and now - _last_warning < WARN_EVERY:
            return
        _last_warning = now
    logger.warning(
        "rate limits: shared cache unreachable (%s: %s); counting per process",
        type(exc).__name__,
        exc,
    )


def client_ip(request) -> str:
    """The client's address, read only from the proxies the deployment trusts.

    ``settings.TRUSTED_PROXY_HOPS`` is the number of proxies in front of the app (nginx: 1; a
    load balancer in front of nginx: 2). Each trusted proxy appends the address it received the
    request from to ``X-Forwarded-For``, so the client is the ``hops``-th entry from the right;
    anything further left was written by the client and is ignored. With 0 (the default) the
    header is ignored entirely and ``REMOTE_ADDR`` is the address. Used by the rate limits, the
    DRF throttles and the log-in lockout (``AXES_CLIENT_IP_CALLABLE``).
    """
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    candidate = forwarded[-min(hops, len(forwarded))]
    return candidate if _is_address(candidate) else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
