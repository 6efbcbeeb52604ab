import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tenancy.models import Membership
from tests import mail_server
from tests.factories import PASSWORD, CommunityFactory, UserFactory, member_of

__all__ = ["PASSWORD"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters are keyed by user id, which SQLite reuses from one test to the next."""
    cache.clear()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run at once in the caller's process; a test that needs the queue sets TASKS."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _no_socket_signal_handlers(settings):
    """Sockets opened in tests live inside pytest: SIGINT stays pytest's (realtime.lifecycle)."""
    settings.REALTIME_SIGNAL_HANDLERS = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    def make(username="member", **extra):
        return UserFactory(username=username, **extra)

    return make


@pytest.fixture
def make_community(db):
    def make(slug="roasters", **extra):
        return CommunityFactory(slug=slug, **extra)

    return make


@pytest.fixture
def community(make_community):
    return make_community()


@pytest.fixture
def make_member(community):
    """A new user holding ``role`` in ``community`` (or ``into``): the membership row only."""

    def make(username, role=Membership.Role.MEMBER, into=None):
        return member_of(into or community, username, role=role)

    return make


@pytest.fixture
def member(make_member):
    return make_member("alice")


@pytest.fixture
def moderator(make_member):
    return make_member("morgan", role=Membership.Role.MODERATOR)


@pytest.fixture
def manager(make_member):
    return make_member("bree", role=Membership.Role.BRAND_MANAGER)


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on a local port; the site's mail goes to it over SMTP. Yields its
    inbox (``.messages``, ``.wait_for(n)``)."""
    controller, inbox = mail_server.start()
    for name, value in mail_server.smtp_settings(controller.port).items():
        setattr(settings, name, value)
    yield inbox
    controller.stop()


@pytest.fixture
def task_queue(settings, monkeypatch, db):
    """The database task queue instead of the immediate backend. Returns ``work()``: one
    ``db_worker --batch`` run over the tasks that are due. The worker's between-task
    ``close_old_connections`` would close the test's connection (it is inside the test's
    transaction), so it is a no-op here."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = DB_TASKS
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def work() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    return work
