import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from tenancy.models import Community, Membership

PASSWORD = "test-pass-123!"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters are keyed by user id, which SQLite reuses from one test to the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    def make(username="member", **extra):
        return User.objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def make_community(db):
    def make(slug="roasters", **extra):
        extra.setdefault("name", slug.replace("-", " ").title())
        return Community.objects.create(slug=slug, **extra)

    return make


@pytest.fixture
def community(make_community):
    return make_community()


@pytest.fixture
def member(make_user, community):
    user = make_user("alice")
    Membership.objects.create(user=user, community=community)
    return user


@pytest.fixture
def moderator(make_user, community):
    user = make_user("morgan")
    Membership.objects.create(user=user, community=community, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
