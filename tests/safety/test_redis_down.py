"""Redis unreachable (a closed port): contributions still succeed, limits count per process."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from community.services import topics
from gamification.models import LedgerEntry
from safety import ratelimit
from tests.community.helpers import topic as make_topic

DOWN = "redis://127.0.0.1:1/0"
CACHES_DOWN = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DOWN}}
LAYERS_DOWN = {
    "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [DOWN]}}
}


@pytest.fixture
def redis_down(monkeypatch):
    with override_settings(CACHES=CACHES_DOWN, CHANNEL_LAYERS=LAYERS_DOWN):
        monkeypatch.setattr(ratelimit, "cache", caches["default"])
        monkeypatch.setattr(ratelimit, "_last_warning", 0.0)
        ratelimit._local.clear()
        yield
    ratelimit._local.clear()


def test_rate_limit_degrades_to_per_process_and_warns_once(redis_down, caplog, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "probe": (2, 60)}
    with caplog.at_level(logging.WARNING, logger="safety.ratelimit"):
        verdicts = [ratelimit.hit("probe", "u1").allowed for _ in range(3)]
    assert verdicts == [True, True, False]
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1


def test_reply_succeeds_with_its_ledger_row_when_redis_is_down(
    redis_down, member, community, caplog, django_capture_on_commit_callbacks
):
    thread = make_topic(member, community)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        post = topics.reply(user=member, topic=thread, body="Still works")
    assert post.pk
    assert LedgerEntry.objects.filter(member=member, community=community).count() >= 2
    assert any("unreachable" in r.getMessage() for r in caplog.records)


# Production's caches while Redis is down: pages read a cache that treats errors as misses,
# counters a cache that reports them (and count per process meanwhile).
CACHES_DOWN_AS_DEPLOYED = {
    "default": {**CACHES_DOWN["default"], "OPTIONS": {"IGNORE_EXCEPTIONS": True}},
    "counters": CACHES_DOWN["default"],
}


def test_pages_render_and_posts_go_through_while_redis_is_down(
    member, community, client_for, django_capture_on_commit_callbacks
):
    thread = make_topic(member, community)
    client = client_for(member)
    with override_settings(CACHES=CACHES_DOWN_AS_DEPLOYED, CHANNEL_LAYERS=LAYERS_DOWN):
        ratelimit._local.clear()
        for url in (
            community.get_absolute_url(),
            thread.get_absolute_url(),
            f"/c/{community.slug}/leaderboard/",
            "/api/v1/communities/",
        ):
            assert client.get(url).status_code == 200, url
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                f"/c/{community.slug}/topics/{thread.pk}/reply/",
                {"body": "Redis or not, here I am"},
            )
        assert answer.status_code == 302
    assert thread.posts.filter(body="Redis or not, here I am").exists()
    ratelimit._local.clear()
