"""DRF throttles backed by ``safety.ratelimit`` (atomic counters in the shared cache).

DRF's own throttles keep a list of timestamps per client and rewrite it on every request, which
loses counts when workers race; these count with ``cache.incr``. DRF turns a refusal into a 429
with a ``Retry-After`` header.
"""

from rest_framework.throttling import BaseThrottle

from safety import ratelimit


class SharedCacheThrottle(BaseThrottle):
    """Throttle by ``view.throttle_scope``, per user when logged in, else per address."""

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if scope is None:
            return True
        user = getattr(request, "user", None)
        ident = (
            f"user:{user.pk}" if user and user.is_authenticated else f"ip:{self.get_ident(request)}"
        )
        self.verdict = ratelimit.hit(scope, ident)
        return self.verdict.allowed

    def get_ident(self, request):
        return ratelimit.client_ip(request)

    def wait(self):
        return self.verdict.retry_after
