"""The cache our shared counters live in (rate limits, coalescing gates, event sequences).

Pages use Django's default cache, which in production ignores Redis errors (a missing Redis is a
cache miss, never an error page). Counters must know when Redis is down, to fall back to
per-process counting, so they use the ``counters`` alias: the same Redis database and key
prefix, without ``IGNORE_EXCEPTIONS``. Without that alias (a test that replaces ``CACHES``), the
default cache serves.
"""

from django.conf import settings
from django.core.cache import caches

ALIAS = "counters"


class _Counters:
    """Looks the cache up on each use: Django's caches are per thread."""

    def __getattr__(self, name):
        alias = ALIAS if ALIAS in settings.CACHES else "default"
        return getattr(caches[alias], name)


cache = _Counters()
