"""One lockout for every way in (accounts/lockout.py on django-axes).

Wrong passwords on /accounts/login/, /cms/login/, /django-admin/login/ and the API token count
toward one limit per account + address; a locked pair gets neither a session nor a token
anywhere; the owner elsewhere is not kept out; the per-account delay grows; addresses come
from trusted proxies only.
"""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alice(make_user):
    return make_user("alice")


def web_login(client, username, password, address=ATTACKER, **extra):
    url = reverse("accounts:login")
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def cms_login(client, username, password, address=ATTACKER):
    data = {"username": username, "password": password}
    return client.post("/cms/login/", data, REMOTE_ADDR=address)


def admin_login(client, username, password, address=ATTACKER):
    data = {"username": username, "password": password}
    return client.post("/django-admin/login/", data, REMOTE_ADDR=address)


def token(client, username, password, address=ATTACKER, **extra):
    data = {"username": username, "password": password}
    return client.post(reverse("api-token"), data, REMOTE_ADDR=address, **extra)


def assert_locked_page(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed log-in attempts" in response.content.decode()


def test_failures_on_all_four_entry_points_count_toward_one_limit(client, alice, clock):
    assert web_login(client, "alice", "wrong1").status_code == 200
    assert cms_login(client, "ALICE", "wrong2").status_code == 200
    assert admin_login(client, " Alice ", "wrong3").status_code == 200
    assert token(client, "aLiCe", "wrong4").status_code == 400
    # The fifth failure reaches the limit: the answer is already the lockout.
    assert_locked_page(web_login(client, "alicE", "wrong5"))
    assert AccessAttempt.objects.get().failures_since_start == 5

    # Locked: the right password gets no session and no token on any entry point.
    for attempt in (web_login, cms_login, admin_login):
        assert_locked_page(attempt(client, "alice", PASSWORD))
        assert "_auth_user_id" not in client.session
    refused = token(client, "alice", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["message"].startswith("Too many failed log-in attempts")
    assert refused.json()["errors"] == {}
    # Refused attempts are not counted again.
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_the_pair_lock_lifts_after_the_cool_off(client, alice, clock):
    for _ in range(5):
        web_login(client, "alice", "wrong")
    assert_locked_page(web_login(client, "alice", PASSWORD))
    clock.shift(dt.timedelta(minutes=15, seconds=1))
    assert web_login(client, "alice", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_success_before_the_limit_clears_the_pair_count(client, alice, clock):
    for _ in range(4):
        web_login(client, "alice", "wrong")
    assert web_login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        web_login(client, "alice", "wrong")
    assert web_login(client, "alice", PASSWORD).status_code == 302


def test_the_attacker_cannot_keep_the_owner_out(client, alice, clock):
    # The owner has logged in from home before: that address is never delayed for the account.
    assert web_login(client, "alice", PASSWORD, address=OWNER).status_code == 302
    client.logout()
    for _ in range(5):
        web_login(client, "alice", "wrong")
    assert_locked_page(web_login(client, "alice", PASSWORD))
    assert web_login(client, "alice", PASSWORD, address=OWNER).status_code == 302


def test_the_per_account_delay_grows_and_is_never_a_hard_lock(client, alice, clock):
    # One failure from each of many addresses: no pair is locked, the account slows down.
    for i in range(5):
        web_login(client, "alice", "wrong", address=f"192.0.2.{i}")
    first = web_login(client, "alice", "wrong", address="192.0.2.50")
    assert_locked_page(first)
    assert first["Retry-After"] == "2"

    clock.shift(dt.timedelta(seconds=2))
    assert web_login(client, "alice", "wrong", address="192.0.2.51").status_code == 200
    second = web_login(client, "alice", "wrong", address="192.0.2.52")
    assert second["Retry-After"] == "4"

    # An unknown address of the owner waits out the delay, then logs in.
    clock.shift(dt.timedelta(seconds=4))
    assert web_login(client, "alice", PASSWORD, address=OWNER).status_code == 302


def test_one_address_guessing_many_accounts_is_locked(client, settings, alice, clock):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for i in range(6):
        web_login(client, f"someone{i}", "guess")
    assert_locked_page(web_login(client, "alice", PASSWORD))
    assert web_login(client, "alice", PASSWORD, address=OWNER).status_code == 302


def test_rotating_x_forwarded_for_changes_nothing_without_trusted_proxies(client, alice, clock):
    for i in range(5):
        web_login(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    assert_locked_page(web_login(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.99"))


def test_behind_one_trusted_proxy_the_proxy_written_address_counts(client, settings, alice, clock):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.2"
    for i in range(5):
        # The client forges a left part; nginx appends the real address last.
        forwarded = f"10.9.9.{i}, {ATTACKER}"
        web_login(client, "alice", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    locked = web_login(
        client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.1, {ATTACKER}"
    )
    assert_locked_page(locked)
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    # Another client behind the same proxy is not the attacker.
    clock.shift(dt.timedelta(seconds=5))
    ok = web_login(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OWNER)
    assert ok.status_code == 302


def test_the_delete_confirmation_counts_and_obeys_the_lockout(client, alice, clock):
    client.force_login(alice)
    url = reverse("accounts:delete")
    for _ in range(4):
        response = client.post(url, {"content": "anonymise", "password": "x"}, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 400
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 4
    assert_locked_page(
        client.post(url, {"content": "anonymise", "password": "x"}, REMOTE_ADDR=ATTACKER)
    )
    refused = client.post(url, {"content": "anonymise", "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert refused.status_code == 429
    alice.refresh_from_db()
    assert alice.is_active


def test_an_empty_token_request_is_a_json_400(client, db):
    response = token(client, "", "")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and "username" in body["errors"]
