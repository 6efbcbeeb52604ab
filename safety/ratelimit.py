"""Fixed-window rate limits on the shared cache.

Counters live in Django's default cache, which is Redis in production: ``cache.add`` and
``cache.incr`` are atomic there, so every worker process counts against the same number. Limits
are named and configured in ``settings.RATE_LIMITS`` as ``"name": (max_hits, window_seconds)``;
each can be overridden with an environment variable ``RATE_LIMIT_<NAME>=hits/seconds``.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

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
    cache.add(key, 0, timeout=remaining + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.add(key, 1, timeout=remaining + 1)
        count = 1
    if count > hits:
        return Verdict(False, remaining)
    return Verdict(True, 0)


def check(name: str, ident: str) -> Verdict:
    """Look without counting (e.g. is this account locked?)."""
    hits, start, remaining = _window(name)
    count = cache.get(_key(name, ident, start), 0)
    return Verdict(count < hits, 0 if count < hits else remaining)


def enforce(name: str, ident: str) -> None:
    verdict = hit(name, ident)
    if not verdict.allowed:
        raise RateLimited(verdict)


def reset(name: str, ident: str) -> None:
    _, start, _ = _window(name)
    cache.delete(_key(name, ident, start))


def client_ip(request) -> str:
    """The client address; behind a proxy in production, the first X-Forwarded-For hop."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")
