import json

from django.utils import timezone

from gamification import actions, awards, corrections, engine, setup
from gamification.models import (
    ActionCount,
    LedgerEntry,
    PeriodScore,
    PointRule,
    Score,
)
from gamification.recognitions import POINTS_AWARDED
from tests.factories import MembershipFactory
from tests.gamification.conftest import at


def test_award_moves_every_aggregate_and_returns_events(member, community, make_obj):
    recognitions = awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    score = Score.objects.get(member=member, community=community)
    # 10 for the review + 10 first-contribution bonus.
    assert (score.lifetime, score.balance) == (20, 20)
    assert ActionCount.objects.get(member=member, action=actions.REVIEW_WRITTEN).count == 1
    assert set(PeriodScore.objects.values_list("kind", "points")) == {("week", 20), ("month", 20)}
    points = recognitions.of_type(POINTS_AWARDED)
    assert [e["action"] for e in points] == [actions.REVIEW_WRITTEN, actions.FIRST_CONTRIBUTION]
    assert json.loads(json.dumps(recognitions.events)) == recognitions.events


def test_first_contribution_bonus_is_paid_once(member, community, make_obj):
    for action in (actions.REVIEW_WRITTEN, actions.REPLY_POSTED, actions.REVIEW_WRITTEN):
        awards.record_action(member, community, action, make_obj())
    awards.record_action(member, community, actions.FIRST_CONTRIBUTION, make_obj())
    assert LedgerEntry.objects.filter(action=actions.FIRST_CONTRIBUTION).count() == 1


def test_same_event_twice_awards_once(member, community, make_obj):
    obj = make_obj()
    first = awards.record_action(member, community, actions.ANSWER_POSTED, obj)
    again = awards.record_action(member, community, actions.ANSWER_POSTED, obj)
    assert first and not again
    assert Score.objects.get(member=member).lifetime == 15
    keyed = [awards.record_action(member, community, actions.PHOTO_UPLOADED, None, key="k1")]
    keyed.append(awards.record_action(member, community, actions.PHOTO_UPLOADED, None, key="k1"))
    assert LedgerEntry.objects.filter(key="k1").count() == 1


def test_no_points_for_voting_your_own_content(member, community, make_obj, make_member):
    vote = make_obj()
    assert not awards.record_action(
        member, community, actions.HELPFUL_VOTE_RECEIVED, vote, actor=member
    )
    assert not LedgerEntry.objects.exists()
    voter = make_member("voter")
    assert awards.record_action(member, community, actions.HELPFUL_VOTE_RECEIVED, vote, actor=voter)
    assert LedgerEntry.objects.get().actor == voter


def test_daily_cap_trims_points_and_resets_next_day(member, community, make_member, award):
    voter = make_member("voter")
    monday = at("2026-03-02T10:00")
    for minute in range(12):  # 12 votes x 3 points, cap 30
        award(
            member,
            community,
            actions.HELPFUL_VOTE_RECEIVED,
            actor=voter,
            at=monday.replace(minute=minute),
        )
    rows = list(LedgerEntry.objects.order_by("pk").values_list("points", "reason"))
    assert [p for p, _ in rows] == [3] * 10 + [0, 0]
    assert rows[-1][1] == engine.CAP_REASON
    assert Score.objects.get(member=member).lifetime == 30
    award(member, community, actions.HELPFUL_VOTE_RECEIVED, actor=voter, at=at("2026-03-03T10:00"))
    assert Score.objects.get(member=member).lifetime == 33


def test_cap_day_follows_the_community_time_zone(member, make_member, make_community, award):

    tokyo = make_community("tokyo", time_zone="Asia/Tokyo")
    MembershipFactory(user=member, community=tokyo)
    voter = make_member("voter", into=tokyo)
    # 14:30 UTC on the 2nd is already the 3rd in Tokyo: a new day, a fresh cap.
    for minute in range(10):
        award(
            member,
            tokyo,
            actions.HELPFUL_VOTE_RECEIVED,
            actor=voter,
            at=at(f"2026-03-02T14:{minute:02}"),
        )
    award(member, tokyo, actions.HELPFUL_VOTE_RECEIVED, actor=voter, at=at("2026-03-02T15:30"))
    assert list(LedgerEntry.objects.order_by("-pk").values_list("points", flat=True)[:1]) == [3]


def test_rules_are_per_community_and_created_lazily(member, community, make_obj):
    assert not PointRule.objects.exists()
    PointRule.objects.create(community=community, action=actions.REVIEW_WRITTEN, points=40)
    setup.ensure_defaults(community)
    setup.ensure_defaults(community)
    assert PointRule.objects.filter(community=community).count() == len(actions.DEFAULT_POINTS)
    awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    assert LedgerEntry.objects.get(action=actions.REVIEW_WRITTEN).points == 40


def test_unknown_action_is_a_programming_error(member, community, make_obj):
    import pytest

    with pytest.raises(ValueError, match="Unknown action"):
        awards.record_action(member, community, "made.coffee", make_obj())


def test_reverse_restore_cycles_keep_aggregates_in_step(member, community, make_obj):
    awards.record_action(member, community, actions.REPLY_POSTED, make_obj())  # +2, +10 first
    post = make_obj()
    awards.record_action(member, community, actions.TOPIC_CREATED, post)
    base = Score.objects.get(member=member).lifetime
    assert base == 17
    for _ in range(2):
        assert len(corrections.reverse_for_object(post, reason="hidden by a moderator")) == 1
        assert corrections.reverse_for_object(post, reason="again") == []
        assert Score.objects.get(member=member).lifetime == base - 5
        assert ActionCount.objects.get(action=actions.TOPIC_CREATED).count == 0
        assert len(corrections.restore_for_object(post, reason="restored")) == 1
        assert corrections.restore_for_object(post, reason="again") == []
        assert Score.objects.get(member=member).lifetime == base
        assert ActionCount.objects.get(action=actions.TOPIC_CREATED).count == 1
    reversal = LedgerEntry.objects.filter(reverses__isnull=False).first()
    assert reversal.points == -5 and reversal.reason == "hidden by a moderator"


def test_hiding_the_first_post_takes_the_first_contribution_bonus_too(member, community, make_obj):
    post = make_obj()
    awards.record_action(member, community, actions.TOPIC_CREATED, post)
    reversed_actions = {e.action for e in corrections.reverse_for_object(post, reason="spam")}
    assert reversed_actions == {actions.TOPIC_CREATED, actions.FIRST_CONTRIBUTION}
    assert Score.objects.get(member=member).lifetime == 0


def test_unvote_reverses_that_vote_only(member, community, make_obj, make_member):
    voter = make_member("voter")
    vote, other = make_obj(), make_obj()
    for v in (vote, other):
        awards.record_action(member, community, actions.HELPFUL_VOTE_RECEIVED, v, actor=voter)
    corrections.reverse_action(
        member, community, actions.HELPFUL_VOTE_RECEIVED, vote, reason="vote withdrawn"
    )
    assert Score.objects.get(member=member).lifetime == 3
    assert (
        corrections.reverse_action(
            member, community, actions.HELPFUL_VOTE_RECEIVED, make_obj(), reason="never voted"
        )
        == []
    )


def test_events_are_published_after_commit_only(
    member, community, make_obj, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("realtime.events.publish", sent.extend)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
        assert sent == []
    assert callbacks
    assert {e["type"] for e in sent} >= {POINTS_AWARDED, "badge.earned"}


def test_week_and_month_buckets_use_local_calendar(member, make_community, award):

    denver = make_community("denver", time_zone="America/Denver")
    MembershipFactory(user=member, community=denver)
    # Monday 1 June 2026, 03:00 UTC is still Sunday 31 May in Denver.
    award(member, denver, actions.REVIEW_WRITTEN, at=at("2026-06-01T03:00"))
    starts = dict(PeriodScore.objects.values_list("kind", "start"))
    assert str(starts["week"]) == "2026-05-25"
    assert str(starts["month"]) == "2026-05-01"


def test_award_time_defaults_to_now(member, community, make_obj):
    before = timezone.now()
    awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    assert LedgerEntry.objects.first().created_at >= before
