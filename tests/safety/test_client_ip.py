"""Client addresses come from trusted proxies only (TRUSTED_PROXY_HOPS)."""

from django.test import RequestFactory

from safety import ratelimit


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert ratelimit.client_ip(request(forwarded="1.2.3.4")) == "10.0.0.2"


def test_one_proxy_the_last_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert ratelimit.client_ip(request(forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_two_proxies_skip_the_balancers_entry(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.1"
    assert ratelimit.client_ip(request(forwarded=forwarded)) == "203.0.113.9"


def test_missing_or_garbage_headers_fall_back_to_remote_addr(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert ratelimit.client_ip(request()) == "10.0.0.2"
    assert ratelimit.client_ip(request(forwarded="not-an-address")) == "10.0.0.2"


def test_the_throttles_use_it(settings):
    from safety.throttles import SharedCacheThrottle

    settings.TRUSTED_PROXY_HOPS = 0
    assert SharedCacheThrottle().get_ident(request(forwarded="1.2.3.4")) == "10.0.0.2"
