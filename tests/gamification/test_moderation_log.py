"""Kudos and badges given or taken back by hand are listed in the community's moderation log."""

import pytest

from community.models import ModerationAction
from community.services import recognition
from core import errors
from gamification import setup
from gamification.models import Badge
from tests.factories import MembershipFactory


@pytest.fixture
def hero(community):
    setup.ensure_defaults(community)
    return Badge.objects.get(community=community, slug="community-hero")


def _log(community):
    return list(
        ModerationAction.objects.filter(community=community)
        .order_by("pk")
        .values_list("action", "moderator__username", "member__username", "reason")
    )


def test_kudos_and_its_revocation_are_logged(moderator, member, community, hero, client_for):
    kudos = recognition.give_kudos(
        giver=moderator,
        community=community,
        recipient_username="alice",
        message="Great guide",
        points=20,
        badge=hero,
        form_token="t1",
    )
    recognition.give_kudos(  # a double submit: no second entry
        giver=moderator,
        community=community,
        recipient_username="alice",
        message="Great guide",
        points=20,
        form_token="t1",
    )
    recognition.revoke_kudos(kudos=kudos, by=moderator, reason="Posted by mistake")
    assert _log(community) == [
        ("kudos", "morgan", "alice", f"Great guide (+20 points, {hero.name} badge)"),
        ("revoke_kudos", "morgan", "alice", "Posted by mistake"),
    ]
    page = client_for(moderator).get(f"/c/{community.slug}/moderation/").content.decode()
    alice = f'<a href="/c/{community.slug}/members/alice/">alice</a>'
    assert f"gave kudos to {alice}" in page
    assert f"revoked kudos of {alice}" in page


def test_badge_grants_and_revocations_are_logged(
    moderator, member, community, hero, make_user, client_for
):
    bob = make_user("bob")
    MembershipFactory(user=bob, community=community)
    awards = recognition.grant_badge(
        granted_by=moderator,
        community=community,
        badge=hero,
        usernames=["alice", "bob"],
        reason="Meetup hosts",
    )
    # Granting again skips those who hold it: nothing more is logged.
    recognition.grant_badge(
        granted_by=moderator, community=community, badge=hero, usernames=["alice"], reason="x"
    )
    recognition.revoke_badge_award(award=awards[0], by=moderator, reason="Wrong person")
    assert _log(community) == [
        ("grant_badge", "morgan", "alice", f"{hero.name}: Meetup hosts"),
        ("grant_badge", "morgan", "bob", f"{hero.name}: Meetup hosts"),
        ("revoke_badge", "morgan", "alice", f"{hero.name}: Wrong person"),
    ]
    page = client_for(moderator).get(f"/c/{community.slug}/moderation/").content.decode()
    assert f'granted a badge to <a href="/c/{community.slug}/members/bob/">bob</a>' in page
    assert f'revoked a badge of <a href="/c/{community.slug}/members/alice/">alice</a>' in page


def test_refused_grants_log_nothing(member, community, hero):
    with pytest.raises(errors.AppError):
        recognition.grant_badge(
            granted_by=member, community=community, badge=hero, usernames=["alice"], reason="me"
        )
    assert _log(community) == []


def test_moderation_page_query_count_stays_flat(
    moderator, member, community, hero, client_for, django_assert_max_num_queries
):
    for n in range(12):
        recognition.give_kudos(
            giver=moderator,
            community=community,
            recipient_username="alice",
            message=f"Thanks {n}",
            points=1,
        )
    client = client_for(moderator)
    with django_assert_max_num_queries(12):  # 11, and the open-report count on the tab
        assert client.get(f"/c/{community.slug}/moderation/").status_code == 200
