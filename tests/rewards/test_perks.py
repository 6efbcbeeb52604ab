"""Flair and early-access rewards do what their cards say, as soon as the redemption goes
through; a cancellation takes the perk back; parcels show their shipping state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.progress import early_hours
from community.services import topics
from core.errors import Invalid
from gamification.selectors.leaderboard import ALL, leaderboard
from gamification.selectors.progress import early_access, flairs_for
from rewards import perks, services
from rewards.models import Reward
from tenancy.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def flair_reward(make_reward):
    return make_reward(
        name="Supporter flair", kind=Reward.Kind.PROFILE_FLAIR, flair="★ Fan", cost=30
    )


def _redeem(member, reward, key="k1", **extra):
    redemption, _ = services.redeem(member=member, reward=reward, idempotency_key=key, **extra)
    return redemption


def test_flair_shows_on_posts_boards_and_profile_once_redeemed(
    rich_member, community, flair_reward, client_for
):
    assert flairs_for(community, [rich_member.pk]).get(rich_member.pk) != "★ Fan"
    _redeem(rich_member, flair_reward)

    assert flairs_for(community, [rich_member.pk])[rich_member.pk] == "★ Fan"
    board = leaderboard(community, period=ALL)
    assert [e.flair for e in board.entries if e.member_id == rich_member.pk] == ["★ Fan"]

    topic = topics.create_topic(
        user=rich_member,
        community=community,
        kind="discussion",
        title="Brewing ratios",
        body="What do you use?",
    )
    page = client_for(rich_member).get(topic.get_absolute_url())
    assert '<span class="flair">★ Fan</span>' in page.content.decode()
    profile = client_for(rich_member).get(
        reverse("community:member", args=[community.slug, rich_member.username])
    )
    assert '<span class="flair">★ Fan</span>' in profile.content.decode()


def test_member_chooses_among_owned_flairs_or_their_levels(
    rich_member, community, flair_reward, make_reward, client_for
):
    second = make_reward(name="Night owl", kind=Reward.Kind.PROFILE_FLAIR, flair="🦉 Owl", cost=20)
    _redeem(rich_member, flair_reward, "a")
    _redeem(rich_member, second, "b")
    assert perks.owned_flairs(rich_member, community) == ["★ Fan", "🦉 Owl"]
    assert flairs_for(community, [rich_member.pk])[rich_member.pk] == "🦉 Owl"

    client = client_for(rich_member)
    page = client.get(reverse("rewards:mine", args=[community.slug]))
    assert "Flair next to your name" in page.content.decode()
    client.post(reverse("rewards:choose_flair", args=[community.slug]), {"flair": "★ Fan"})
    assert Membership.objects.get(user=rich_member, community=community).flair == "★ Fan"

    client.post(reverse("rewards:choose_flair", args=[community.slug]), {"flair": ""})
    assert Membership.objects.get(user=rich_member, community=community).flair == ""


def test_a_flair_not_owned_is_refused(rich_member, community, flair_reward, client_for):
    with pytest.raises(Invalid):
        perks.choose_flair(member=rich_member, community=community, flair="👑 Queen")
    _redeem(rich_member, flair_reward)
    response = client_for(rich_member).post(
        reverse("rewards:choose_flair", args=[community.slug]), {"flair": "👑 Queen"}, follow=True
    )
    assert response.status_code == 200
    assert perks.NOT_YOUR_FLAIR in response.content.decode()
    assert Membership.objects.get(user=rich_member, community=community).flair == "★ Fan"


def test_cancelling_takes_the_flair_back(rich_member, community, flair_reward, manager):
    redemption = _redeem(rich_member, flair_reward)
    services.cancel_redemption(redemption=redemption, by=manager, reason="Out of season")
    assert Membership.objects.get(user=rich_member, community=community).flair == ""
    assert perks.owned_flairs(rich_member, community) == []


def test_early_access_reward_opens_challenges_early_for_its_window(
    rich_member, community, make_reward
):
    reward = make_reward(
        name="Early bird",
        kind=Reward.Kind.EARLY_ACCESS,
        early_access_hours=36,
        early_access_days=10,
        cost=40,
    )
    now = timezone.now()
    assert early_access(community, rich_member).hours == 0
    _redeem(rich_member, reward)

    perk = early_access(community, rich_member)
    assert (perk.hours, perk.from_reward) == (36, True)
    assert early_hours(community_id=community.pk, member_id=rich_member.pk, at=now) == 36
    later = now + timedelta(days=11)
    assert early_hours(community_id=community.pk, member_id=rich_member.pk, at=later) == 0


def test_flair_and_early_access_need_their_settings(make_reward):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Reward(kind=Reward.Kind.PROFILE_FLAIR, name="x", cost=1).clean()
    with pytest.raises(ValidationError):
        Reward(kind=Reward.Kind.EARLY_ACCESS, name="y", cost=1).clean()


def test_parcels_show_their_shipping_state(
    rich_member, community, make_reward, manager, client_for
):
    reward = make_reward(name="Tote", kind=Reward.Kind.PHYSICAL_ITEM, cost=20)
    redemption = _redeem(rich_member, reward, shipping_note="1 Bean Street")
    url = reverse("rewards:redemption", args=[community.slug, redemption.pk])
    assert "Being prepared for shipping" in client_for(rich_member).get(url).content.decode()
    services.fulfil_redemption(redemption=redemption, by=manager)
    assert "Shipped" in client_for(rich_member).get(url).content.decode()


def test_api_gives_each_flair_rewards_text(flair_reward, community, client):
    rows = client.get(f"/api/v1/communities/{community.slug}/rewards/").json()
    rows = rows.get("results", rows)
    assert [row["flair"] for row in rows if row["id"] == flair_reward.pk] == ["★ Fan"]
