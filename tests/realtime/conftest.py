import json

import pytest
from django.core.cache import cache

from gamification.recognitions import Recognitions
from realtime import events


@pytest.fixture(autouse=True)
def _fresh_realtime_cache():
    """Coalescing gates live in the cache (Redis on CI): start every test without them."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("realtime:*")
    else:
        cache.clear()
    yield


class SpyLayer:
    """Records group_send calls instead of delivering them; round-trips them through JSON."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group, message):
        self.sent.append((group, json.loads(message["text"])))

    def to(self, group: str) -> list[dict]:
        return [payload for name, payload in self.sent if name == group]

    def types(self, group: str) -> list[str]:
        return [payload["type"] for payload in self.to(group)]


@pytest.fixture
def spy_layer(monkeypatch):
    layer = SpyLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda alias=None: layer)
    return layer


@pytest.fixture
def recognitions():
    def make(*specs):
        collected = Recognitions()
        for event_type, user, community, data in specs:
            collected.add(event_type, user_id=user.pk, community_id=community.pk, **data)
        return collected

    return make


IN_MEMORY_LAYERS = {
    "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "broadcasts": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
}


@pytest.fixture(autouse=True)
def _in_memory_layers_for_communicators(request, settings):
    """Known issue: since sockets listen on two layers, a WebsocketCommunicator test on the
    Redis layer hangs when pytest-asyncio closes its event loop (a cancelled receive never
    finishes). Consumer tests here run on the in-memory layers; the Redis layers are driven by
    test_layers.py, test_restarts.py and the browser tests against real daphne servers."""
    if request.module.__name__.endswith(("test_layers", "test_restarts")):
        return
    settings.CHANNEL_LAYERS = IN_MEMORY_LAYERS
