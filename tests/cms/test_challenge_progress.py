from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cms.models import ChallengeProgress
from cms.progress import source_tags
from gamification import actions
from gamification.models import Badge, BadgeAward, LedgerEntry
from realtime import event_types


def completions(member):
    return LedgerEntry.objects.filter(member=member, action=actions.CHALLENGE_COMPLETED)


def test_only_goal_actions_on_distinct_objects_count(member, community, make_challenge, act):
    challenge = make_challenge(goal_count=3)
    source = act(member, community)
    act(member, community, source=source)  # the same award again: idempotent, not counted
    act(member, community, actions.REVIEW_WRITTEN)
    progress = ChallengeProgress.objects.get(challenge=challenge, member=member)
    assert progress.count == 1 and progress.completed_at is None


@pytest.mark.parametrize(
    "window",
    [
        {"starts_at": timedelta(hours=1), "ends_at": timedelta(days=1)},  # not started
        {"starts_at": -timedelta(days=2), "ends_at": -timedelta(seconds=1)},  # over
    ],
)
def test_actions_outside_the_window_do_not_count(member, community, make_challenge, act, window):
    now = timezone.now()
    make_challenge(**{field: now + delta for field, delta in window.items()})
    act(member, community)
    assert not ChallengeProgress.objects.filter(member=member).exists()


def test_drafts_and_other_communities_do_not_count(
    member, community, make_community, make_challenge, act
):
    make_challenge(publish=False)
    other = make_community("other")
    act(member, other)
    assert not ChallengeProgress.objects.filter(member=member).exists()


def test_tag_filter_counts_tagged_sources_only(member, community, make_challenge, act):
    challenge = make_challenge(tag="Latte", goal_count=5)
    act(member, community, tags=["espresso"])
    act(member, community, tags=["LATTE", "art"])
    act(member, community)
    assert ChallengeProgress.objects.get(challenge=challenge, member=member).count == 1


def test_tag_protocol_accepts_method_list_or_taggit_manager():
    assert source_tags(SimpleNamespace(challenge_tags=lambda: ["A ", "b"])) == {"a", "b"}
    assert source_tags(SimpleNamespace(tags=["X"])) == {"x"}
    manager = SimpleNamespace(names=lambda: ["Trail"])
    assert source_tags(SimpleNamespace(tags=manager)) == {"trail"}
    assert source_tags(object()) == set() and source_tags(None) == set()


def test_completing_awards_reward_and_first_finisher_bonus_once(
    community, make_member, make_challenge, act
):
    badge = Badge.objects.create(
        community=community, slug="brewer", name="Brewer", description="x", criterion="manual"
    )
    challenge = make_challenge(
        goal_count=2, reward_points=40, first_finishers=1, first_finishers_bonus=15
    )
    challenge.reward_badge = badge
    challenge.save()
    first, second = make_member("first"), make_member("second")
    for member in (first, second):
        act(member, community)
        act(member, community)
        act(member, community)  # after finishing: no second reward
    assert list(completions(first).values_list("points", flat=True)) == [55]
    assert list(completions(second).values_list("points", flat=True)) == [40]
    ranks = dict(
        ChallengeProgress.objects.filter(challenge=challenge).values_list("member", "finish_rank")
    )
    assert ranks == {first.pk: 1, second.pk: 2}
    assert BadgeAward.objects.filter(badge=badge, revoked_at__isnull=True).count() == 2


def test_completion_events_reach_the_member(member, community, make_challenge, act, monkeypatch):
    published = []
    monkeypatch.setattr("realtime.events.publish_on_commit", lambda r: published.extend(r.events))
    make_challenge(goal_count=1, first_finishers=3, first_finishers_bonus=10)
    act(member, community)
    completed = [e for e in published if e["type"] == "challenge.completed"]
    assert len(completed) == 1
    assert completed[0]["rank"] == 1 and completed[0]["bonus"] == 10
    assert event_types.title(completed[0]) == "You completed Photo week"
    assert event_types.body(completed[0]) == "+50 points, first-finisher bonus included"
    assert [e["progress"] for e in published if e["type"] == "challenge.progress"] == [1]
