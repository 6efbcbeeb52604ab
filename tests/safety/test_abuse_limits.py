import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.forms import LOGIN_LOCKED
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_locks_after_repeated_failures_even_with_the_right_password(client, make_user):
    make_user("alice")
    for _ in range(5):
        assert login(client, "alice", "wrong").status_code == 200
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert LOGIN_LOCKED.split("{")[0] in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_counts_usernames_case_insensitively(client, make_user):
    make_user("alice")
    for name in ["alice", "ALICE", "Alice", "aLice", "alicE"]:
        login(client, name, "wrong")
    response = login(client, "alice", PASSWORD)
    assert "Too many failed log-in attempts" in response.content.decode()


def test_a_success_before_the_limit_clears_the_count(client, make_user):
    make_user("alice")
    for _ in range(4):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302


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


def test_bad_token_request_is_a_json_400(client, db):
    response = client.post(reverse("api-token"), {"username": "", "password": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and "username" in body["errors"]


def test_one_address_guessing_many_accounts_is_locked_out(client, settings, make_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failures_ip": (6, 900)}
    make_user("victim")
    for i in range(6):
        login(client, f"someone{i}", "guess")
    response = login(client, "victim", PASSWORD)
    assert "Too many failed log-in attempts" in response.content.decode()
