"""The member API respects privacy: balance and pending only for the member and the community's
staff; a members-only member shows outsiders the card alone (name, role, bio)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from gamification import actions, awards
from tenancy.models import Membership
from tests.factories import member_of

PROGRESS = {"points", "level", "badges", "streak"}
PRIVATE = {"balance", "pending"}
CARD = {"username": "alice", "name": "Alice Liddell", "role": "member", "bio": "Tea and tarts."}


@pytest.fixture
def alice(community, member, make_obj):
    User.objects.filter(pk=member.pk).update(first_name="Alice Liddell", bio="Tea and tarts.")
    awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    member.refresh_from_db()
    return member


@pytest.fixture
def read(community):
    def get(viewer):
        client = APIClient()
        if viewer is not None:
            client.force_authenticate(viewer)
        url = reverse("api-member-progress", args=[community.slug, "alice"])
        response = client.get(url)
        assert response.status_code == 200
        return response.json()

    return get


@pytest.fixture
def readers(community, make_member, make_community):
    other = make_community("elsewhere")
    return {
        "anonymous": None,
        "outsider": member_of(other, "stranger"),
        "member": make_member("bob"),
        "moderator": make_member("mo", role=Membership.Role.MODERATOR),
        "brand manager": make_member("bea", role=Membership.Role.BRAND_MANAGER),
    }


def test_balance_and_pending_only_for_the_member_and_staff(alice, read, readers):
    assert set(read(alice)) >= PRIVATE
    for name, viewer in readers.items():
        data = read(viewer)
        assert set(data) >= PROGRESS, name
        assert {key: data[key] for key in CARD} == CARD, name
        if name in {"moderator", "brand manager"}:
            assert set(data) >= PRIVATE, name
        else:
            assert not PRIVATE & set(data), name


def test_members_only_activity_shows_outsiders_the_card_alone(alice, read, readers):
    User.objects.filter(pk=alice.pk).update(activity_members_only=True)
    for name in ("anonymous", "outsider"):
        assert read(readers[name]) == CARD, name
    for name in ("member", "moderator", "brand manager"):
        assert set(read(readers[name])) >= PROGRESS, name
    alice.refresh_from_db()
    assert set(read(alice)) >= PROGRESS | PRIVATE
