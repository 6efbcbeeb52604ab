"""The level perk "early access to new challenges": progress, the page and the listing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms import selectors
from cms.models import ChallengeProgress
from gamification import actions, awards, corrections, setup
from gamification.models import Level


@pytest.fixture
def early_member(community, make_member):
    """A Contributor (250 points); the Contributor level grants 24 hours of early access."""
    setup.ensure_defaults(community)
    Level.objects.filter(community=community, name="Contributor").update(early_access_hours=24)
    member = make_member("early")
    awards.award(member, community, actions.KUDOS_RECEIVED, member, key="early:points", points=250)
    return member


def progress_of(challenge, member):
    return ChallengeProgress.objects.filter(challenge=challenge, member=member).first()


def test_early_window_counts_for_the_perk_holder_only(
    community, early_member, member, make_challenge, act
):
    challenge = make_challenge(starts_at=timezone.now() + timedelta(hours=2))
    act(early_member, community)
    act(member, community)
    assert progress_of(challenge, early_member).count == 1
    assert progress_of(challenge, member) is None


def test_too_early_even_with_the_perk_does_not_count(community, early_member, make_challenge, act):
    challenge = make_challenge(starts_at=timezone.now() + timedelta(hours=30))
    act(early_member, community)
    assert progress_of(challenge, early_member) is None


def test_after_the_start_everyone_counts(community, early_member, member, make_challenge, act):
    challenge = make_challenge(starts_at=timezone.now() - timedelta(minutes=5))
    act(early_member, community)
    act(member, community)
    assert progress_of(challenge, early_member).count == 1
    assert progress_of(challenge, member).count == 1


def test_a_correction_keeps_early_window_actions(community, early_member, make_challenge, act):
    challenge = make_challenge(starts_at=timezone.now() + timedelta(hours=2), goal_count=3)
    act(early_member, community)
    hidden = act(early_member, community)
    corrections.reverse_for_object(hidden, reason="hidden by a moderator")
    assert progress_of(challenge, early_member).count == 1


def test_page_tells_each_member_when_it_opens_for_them(
    community, early_member, member, make_challenge, client_for, django_assert_max_num_queries
):
    challenge = make_challenge(starts_at=timezone.now() + timedelta(hours=2))
    client = client_for(early_member)
    client.get(challenge.url)  # warm the site and page caches
    with django_assert_max_num_queries(22):  # 18 once open; perks cost three, privacy one
        body = client.get(challenge.url).content.decode()
    assert "Early access: open to you now (level Contributor perk)" in body
    assert "more to go" in body
    body = client_for(member).get(challenge.url).content.decode()
    assert "Opens " in body and "; members at level Contributor get early access" in body
    assert "Early access: open to you now" not in body and "more to go" not in body


def test_started_page_says_nothing_about_early_access(early_member, make_challenge, client_for):
    challenge = make_challenge()
    body = client_for(early_member).get(challenge.url).content.decode()
    assert "Early access" not in body and "get early access" not in body


def test_open_challenges_list_early_ones_for_the_perk_holder(
    community, early_member, member, make_challenge, django_assert_max_num_queries
):
    challenge = make_challenge(starts_at=timezone.now() + timedelta(hours=2))
    with django_assert_max_num_queries(2):
        listed = selectors.challenges_for_member(early_member, community)
    assert [(item.challenge.pk, item.early) for item in listed] == [(challenge.pk, True)]
    assert selectors.challenges_for_member(member, community) == []
