import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def test_signup_is_rate_limited_per_address(client, settings, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (2, 3600)}
    for i in range(2):
        data = {
            "username": f"new{i}",
            "password1": "a-strong-pass-77",
            "password2": "a-strong-pass-77",
        }
        assert client.post(reverse("accounts:signup"), data).status_code == 302
        client.logout()
    data = {"username": "new9", "password1": "a-strong-pass-77", "password2": "a-strong-pass-77"}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 429
    assert "try again in" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600


def test_api_token_is_throttled_with_retry_after(client, settings, make_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_token": (2, 600)}
    make_user("alice")
    url = reverse("api-token")
    ok = client.post(url, {"username": "alice", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    client.post(url, {"username": "alice", "password": "wrong"})
    refused = client.post(url, {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["message"].lower()
