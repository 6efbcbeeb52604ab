import pytest
from django.core.cache import cache
from django.test import Client

from tenancy.models import Membership
from tests.factories import PASSWORD, CommunityFactory, UserFactory, member_of

__all__ = ["PASSWORD"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters are keyed by user id, which SQLite reuses from one test to the next."""
    cache.clear()


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
