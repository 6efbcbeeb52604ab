"""Writes the API matrix (tests/community/test_permission_matrix.py) does not reach: rewards
pages and API, kudos and badge grants and revocations, and marking someone else's notification
read. Each is tried by every kind of caller; a refusal changes nothing and is never a 500.
"""

import pytest
from django.test import Client
from notifications.models import Notification
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.services import recognition
from gamification import actions, awards, setup
from gamification import recognitions as rec
from gamification.models import Badge, BadgeAward, Kudos
from realtime import events
from rewards import services as reward_services
from rewards.models import Redemption, Reward
from tenancy.models import Membership
from tests.community.helpers import join

ROLES = ("anonymous", "outsider", "member", "moderator", "other_brand_manager", "brand_manager")
MEMBERS = {"member", "moderator", "brand_manager"}
STAFF = {"moderator", "brand_manager"}


def _points(user, community, points=500):
    awards.award(
        user, community, actions.KUDOS_RECEIVED, None, key=f"matrix:{user.pk}", points=points
    )


@pytest.fixture
def world(make_user, make_community, community, member, moderator):
    setup.ensure_defaults(community)
    other = make_community("grinders")
    outsider = make_user("outsider")
    join(outsider, other)
    other_brand = make_user("otherbrand")
    join(other_brand, other, role=Membership.Role.BRAND_MANAGER)
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    asker, carol = make_user("asker"), make_user("carol")
    join(asker, community)
    join(carol, community)
    users = {
        "outsider": outsider,
        "member": member,
        "moderator": moderator,
        "other_brand_manager": other_brand,
        "brand_manager": brand,
    }
    for user in [*users.values(), asker]:
        _points(user, community)  # the outsider too: points don't make a member
    reward = Reward.objects.create(community=community, name="Mug", cost=50)
    redemption, _ = reward_services.redeem(member=asker, reward=reward, idempotency_key="a1")
    hero = Badge.objects.get(community=community, slug="community-hero")
    kudos = recognition.give_kudos(
        giver=moderator, community=community, recipient_username="asker", message="Thanks"
    )
    (award,) = recognition.grant_badge(
        granted_by=moderator, community=community, badge=hero, usernames=["asker"], reason="Host"
    )
    notes = rec.Recognitions()
    notes.add(rec.LEVEL_UP, user_id=asker.pk, community_id=community.pk, level="Regular")
    events.publish_on_commit(notes)
    return {
        "users": users,
        "reward": reward,
        "redemption": redemption,
        "hero": hero,
        "kudos": kudos,
        "award": award,
        "notification": Notification.objects.filter(recipient=asker).latest("pk"),
        "carol": carol,
    }


def _client(world, role, api=False):
    if api:
        client = APIClient()
        if role != "anonymous":
            token, _ = Token.objects.get_or_create(user=world["users"][role])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _redemptions(world):
    return Redemption.objects.exclude(pk=world["redemption"].pk).count()


def cases(world):
    """action -> (url, data, api, state(world), roles allowed)."""
    reward, redemption = world["reward"], world["redemption"]
    hero, kudos, award = world["hero"], world["kudos"], world["award"]
    note = world["notification"]
    c = "/c/roasters"
    return {
        "redeem_page": (
            f"{c}/rewards/{reward.pk}/redeem/",
            {f"r{reward.pk}-token": "6f1c2a4e-8d1b-4c55-9a33-0d2c5f0b7e11"},
            False,
            _redemptions,
            MEMBERS,
        ),
        "redeem_api": (
            f"/api/v1/rewards/{reward.pk}/redeem/",
            {"shipping_note": ""},
            True,
            _redemptions,
            MEMBERS,
        ),
        "fulfil_redemption": (
            f"{c}/rewards/manage/{redemption.pk}/fulfil/",
            {},
            False,
            lambda w: Redemption.objects.get(pk=redemption.pk).status,
            {"brand_manager"},
        ),
        "cancel_redemption": (
            f"{c}/rewards/manage/{redemption.pk}/cancel/",
            {"reason": "Out of mugs"},
            False,
            lambda w: Redemption.objects.get(pk=redemption.pk).status,
            {"brand_manager"},
        ),
        "give_kudos": (
            f"{c}/recognition/kudos/",
            {"recipient": "carol", "message": "Thanks", "points": "5"},
            False,
            lambda w: Kudos.objects.count(),
            STAFF,
        ),
        "grant_badge": (
            f"{c}/recognition/badges/",
            {"badge": hero.pk, "usernames": "carol", "reason": "Helper"},
            False,
            lambda w: BadgeAward.objects.filter(member=w["carol"]).count(),
            STAFF,
        ),
        "revoke_kudos": (
            f"{c}/recognition/kudos/{kudos.pk}/revoke/",
            {"reason": "Mistake"},
            False,
            lambda w: Kudos.objects.get(pk=kudos.pk).revoked_at,
            STAFF,
        ),
        "revoke_badge": (
            f"{c}/recognition/badges/{award.pk}/revoke/",
            {"reason": "Mistake"},
            False,
            lambda w: BadgeAward.objects.get(pk=award.pk).revoked_at,
            STAFF,
        ),
        "mark_someone_elses_notification_read": (
            f"/notifications/{note.pk}/read/",
            {},
            False,
            lambda w: Notification.objects.get(pk=note.pk).unread,
            set(),
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action",
    [
        "redeem_page",
        "redeem_api",
        "fulfil_redemption",
        "cancel_redemption",
        "give_kudos",
        "grant_badge",
        "revoke_kudos",
        "revoke_badge",
        "mark_someone_elses_notification_read",
    ],
)
def test_write_permission_matrix_beyond_the_api(world, action, role):
    url, data, api, state, allowed = cases(world)[action]
    before = state(world)
    client = _client(world, role, api=api)
    headers = {"HTTP_IDEMPOTENCY_KEY": f"k-{role}"} if api else {}
    response = client.post(url, data, format="json", **headers) if api else client.post(url, data)
    assert response.status_code < 500
    if role in allowed:
        assert response.status_code < 400, response.content
        assert state(world) != before
    else:
        assert state(world) == before
        if api:
            assert response.status_code in (401, 403, 404, 409), response.content
            assert response.json()["message"]
        else:
            assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_reward_management_page_is_for_the_brand_manager_only(world, role):
    response = _client(world, role).get("/c/roasters/rewards/manage/")
    if role == "brand_manager":
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403, 404)
        assert b"Out of mugs" not in response.content
