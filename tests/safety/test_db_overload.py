"""No database connection in time (pool exhausted) answers 503 + Retry-After, never a 500.

The fault is simulated by making the service raise what Django raises when the psycopg pool
times out (``PoolTimeout`` wrapped in ``django.db.OperationalError``); the middleware is real.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from psycopg_pool import PoolTimeout

from safety.overload import is_db_busy
from tests.community.helpers import topic as make_topic


def pool_timeout(*args, **kwargs):
    """Raise what Django's PostgreSQL backend raises when ``pool.getconn()`` times out.

    (``DatabaseErrorWrapper`` re-raises psycopg's OperationalError subclasses as Django's, with
    the original as ``__cause__``; on SQLite it would not wrap a psycopg error, so do it here.)
    """
    timeout = PoolTimeout("couldn't get a connection after 5.00 sec")
    raise OperationalError(*timeout.args) from timeout


def test_recognises_pool_timeouts_and_refusals():
    with pytest.raises(OperationalError) as wrapped:
        pool_timeout()
    assert is_db_busy(wrapped.value)
    assert is_db_busy(PoolTimeout("x"))
    refused = OperationalError("FATAL:  sorry, too many clients already")
    assert is_db_busy(refused)
    assert not is_db_busy(OperationalError("relation does not exist"))
    assert not is_db_busy(ValueError("too many clients"))


def test_api_reply_answers_503_json_when_the_pool_is_exhausted(client_for, member, community):
    thread = make_topic(member, community)
    client = client_for(member)
    with mock.patch("community.api.reply", side_effect=pool_timeout):
        response = client.post(
            f"/api/v1/topics/{thread.pk}/posts/", {"body": "Hi"}, content_type="application/json"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DB_POOL_RETRY_AFTER)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": mock.ANY, "errors": {}}


def test_web_reply_answers_503_html_when_the_pool_is_exhausted(client_for, member, community):
    thread = make_topic(member, community)
    client = client_for(member)
    url = reverse("community:reply", args=[community.slug, thread.pk])
    with mock.patch("community.services.topics.reply", side_effect=pool_timeout):
        response = client.post(url, {"body": "Hi"})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"].startswith("text/html")
    assert "try again" in response.content.decode()


def test_timeout_inside_another_middleware_is_a_503_too(member, community):
    """A session read that cannot get a connection happens outside the view."""
    client = Client(raise_request_exception=False)
    client.force_login(member)
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        side_effect=pool_timeout,
    ):
        page = client.get(reverse("home"))
        api = client.get("/api/v1/communities/")
    assert page.status_code == 503 and page["Retry-After"]
    assert api.status_code == 503 and api.json()["errors"] == {}


def test_other_errors_stay_500(member, community):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    thread = make_topic(member, community)
    with mock.patch("community.api.reply", side_effect=OperationalError("disk full")):
        response = client.post(
            f"/api/v1/topics/{thread.pk}/posts/", {"body": "Hi"}, content_type="application/json"
        )
    assert response.status_code == 500


@pytest.mark.skipif(not settings.DATABASE_URL, reason="the pool is PostgreSQL-only")
def test_postgresql_uses_a_bounded_pool(db):
    db_settings = settings.DATABASES["default"]
    assert db_settings["CONN_MAX_AGE"] == 0
    assert db_settings["OPTIONS"]["pool"]["max_size"] == settings.DB_POOL_SIZE
    assert db_settings["OPTIONS"]["pool"]["timeout"] == settings.DB_POOL_TIMEOUT
    assert connection.pool is not None and connection.pool.max_size == settings.DB_POOL_SIZE
