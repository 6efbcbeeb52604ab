"""Hiding content takes back the challenge progress it made; restoring gives it back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import ChallengeProgress
from community.services import catalogue, moderation
from gamification import actions
from gamification.models import LedgerEntry, Score
from tests.factories import ProductFactory


@pytest.fixture
def member(make_member):
    """A member with no history (the demo pages give alice finished demo challenges)."""
    return make_member("fan")


@pytest.fixture
def kettle(community):
    return ProductFactory(community=community, name="Kettle", slug="kettle")


def review(member, product, title="Good"):
    return catalogue.write_review(
        user=member, product=product, rating=5, title=title, body="Works well."
    )


def moderate(moderator, community, verb, target, reason="spam"):
    service = moderation.hide if verb == "hide" else moderation.restore
    service(
        user=moderator,
        community=community,
        target_type="review",
        target_id=target.pk,
        reason=reason,
    )


def completion_points(member) -> int:
    rows = LedgerEntry.objects.filter(member=member, action=actions.CHALLENGE_COMPLETED)
    return sum(rows.values_list("points", flat=True))


def lifetime(member, community) -> int:
    return Score.objects.get(member=member, community=community).lifetime


def row(challenge, member):
    return ChallengeProgress.objects.filter(challenge=challenge, member=member).first()


def test_hiding_lowers_progress_and_restoring_brings_it_back(
    community, member, moderator, make_challenge, kettle, make_community
):
    challenge = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=3)
    first = review(member, kettle)
    review(member, ProductFactory(community=community, name="Mill", slug="mill"))
    assert row(challenge, member).count == 2
    moderate(moderator, community, "hide", first)
    assert row(challenge, member).count == 1
    moderate(moderator, community, "restore", first)
    assert row(challenge, member).count == 2
    # Hiding twice is refused by moderation; a second cycle stays balanced.
    moderate(moderator, community, "hide", first)
    moderate(moderator, community, "restore", first)
    assert row(challenge, member).count == 2


def test_progress_row_goes_when_nothing_counts_any_more(
    community, member, moderator, make_challenge, kettle
):
    challenge = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=3)
    only = review(member, kettle)
    moderate(moderator, community, "hide", only)
    assert row(challenge, member) is None  # no longer counted as joined
    moderate(moderator, community, "restore", only)
    assert row(challenge, member).count == 1


def test_falling_below_target_reverses_the_completion_award_and_restore_pays_again(
    community, member, moderator, make_challenge, make_member, kettle
):
    challenge = make_challenge(
        goal_action=actions.REVIEW_WRITTEN,
        goal_count=1,
        reward_points=40,
        first_finishers=1,
        first_finishers_bonus=10,
    )
    hidden = review(member, kettle)
    assert completion_points(member) == 50
    assert lifetime(member, community) == 70  # review 10, first contribution 10, challenge 50
    moderate(moderator, community, "hide", hidden)
    progress = row(challenge, member)
    assert progress is None
    assert completion_points(member) == 0
    # Everything the review earned is taken back, the completion award included.
    assert lifetime(member, community) == 0
    other = make_member("other")
    review(other, kettle)
    # The hidden finish does not count: the next finisher is the first one, bonus included.
    assert row(challenge, other).finish_rank == 1 and completion_points(other) == 50
    moderate(moderator, community, "restore", hidden)
    progress = row(challenge, member)
    assert progress.completed_at is not None and progress.finish_rank == 2
    assert completion_points(member) == 40  # the first-finisher bonus is not paid again
    assert lifetime(member, community) == 60
    keys = list(
        LedgerEntry.objects.filter(
            member=member, action=actions.CHALLENGE_COMPLETED, reverses__isnull=True
        )
        .order_by("pk")
        .values_list("key", flat=True)
    )
    assert len(keys) == 2 and keys[1] == f"{keys[0]}:again:1"


def test_other_filters_and_ended_challenges_are_untouched(
    community, member, moderator, make_challenge, kettle
):
    mill = ProductFactory(community=community, name="Mill", slug="mill")
    for_mill = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=5, product=mill)
    hidden = review(member, kettle)
    review(member, mill)
    moderate(moderator, community, "hide", hidden)
    assert row(for_mill, member).count == 1
    ended = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=1)
    late = review(member, ProductFactory(community=community, name="Cup", slug="cup"))
    assert row(ended, member).completed_at is not None
    ended.ends_at = timezone.now() - timedelta(seconds=1)
    ended.starts_at = ended.ends_at - timedelta(days=1)
    ended.save()
    paid = completion_points(member)
    moderate(moderator, community, "hide", late)
    assert row(ended, member).completed_at is not None and completion_points(member) == paid


def test_content_from_before_the_window_does_not_count_once_restored(
    community, member, moderator, make_challenge, kettle
):
    old = review(member, kettle)
    LedgerEntry.objects.filter(member=member, action=actions.REVIEW_WRITTEN).update(
        created_at=timezone.now() - timedelta(days=5)
    )
    moderate(moderator, community, "hide", old)
    challenge = make_challenge(goal_action=actions.REVIEW_WRITTEN, goal_count=1)
    moderate(moderator, community, "restore", old)
    assert row(challenge, member) is None and completion_points(member) == 0
