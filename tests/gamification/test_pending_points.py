"""Pending points: a community may hold points from reviews and photos for N days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from community.models import Review
from community.services import catalogue, moderation, topics
from gamification import actions, awards, corrections, rebuild, setup, upkeep
from gamification.balance import spend_points
from gamification.models import CommunityGameSettings, LedgerEntry, PeriodScore, Score
from gamification.recognitions import POINTS_AWARDED
from gamification.selectors.ledger import balance_outlook, ledger_for, ledger_label
from gamification.upkeep import HOLD_RELEASED_REASON
from realtime import event_types
from tests.factories import ProductFactory

DAYS = 7


@pytest.fixture
def holding(community):
    """The community holds review and photo points for a week."""
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(pending_days=DAYS)
    return community


@pytest.fixture
def product(community):
    return ProductFactory(community=community, name="Beans", slug="beans")


def review(member, product, title="Lovely") -> Review:
    return catalogue.write_review(
        user=member, product=product, rating=5, title=title, body="Fruity and bright."
    )


def score(member) -> Score:
    return Score.objects.get(member=member)


def no_drift(community) -> None:
    assert [str(line) for line in rebuild.verify(community).drift] == []


def test_review_points_count_at_once_but_are_spendable_later(holding, member, product):
    before = timezone.now()
    review(member, product)
    mine = score(member)
    # 10 for the review + 10 first-contribution bonus, both held.
    assert (mine.lifetime, mine.balance, mine.pending) == (20, 0, 20)
    assert PeriodScore.objects.get(member=member, kind="week").points == 20
    holds = LedgerEntry.objects.filter(member=member, action=actions.POINTS_HELD)
    assert sorted(hold.points for hold in holds) == [-10, -10]
    for hold in holds:
        assert before + timedelta(days=DAYS) <= hold.release_at
        assert hold.release_at <= timezone.now() + timedelta(days=DAYS)
    no_drift(holding)


def test_the_award_toast_says_when_points_become_spendable(holding, member, product):
    product_review = Review.objects.create(
        community=holding, product=product, author=member, rating=4, title="t", body="b"
    )
    recognitions = awards.record_action(
        member, holding, actions.REVIEW_WRITTEN, product_review, hold=True
    )
    event = recognitions.of_type(POINTS_AWARDED)[0]
    assert event["spendable_from"]
    assert "spendable from" in event_types.body(event)


def test_release_makes_points_spendable_once_and_tells_the_member(holding, member, product):
    review(member, product)
    assert upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS - 1)).rows == 0
    assert score(member).balance == 0

    later = timezone.now() + timedelta(days=DAYS, seconds=1)
    summary = upkeep.release_due_points(now=later)
    assert (summary.rows, summary.members, summary.points) == (2, 1, 20)
    mine = score(member)
    assert (mine.lifetime, mine.balance, mine.pending) == (20, 20, 0)
    assert upkeep.release_due_points(now=later).rows == 0
    verbs = list(member.notifications.values_list("verb", flat=True))
    assert "can now spend 20 more points" in verbs
    no_drift(holding)


def test_content_hidden_in_the_window_never_pays_out(holding, member, moderator, product):
    item = review(member, product)
    moderation.hide(
        user=moderator, community=holding, target_type="review", target_id=item.pk, reason="spam"
    )
    mine = score(member)
    assert (mine.lifetime, mine.balance, mine.pending) == (0, 0, 0)
    assert upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS + 1)).rows == 0
    assert score(member).balance == 0
    ended = LedgerEntry.objects.filter(member=member, action=actions.POINTS_HELD, points__gt=0)
    assert {row.reason for row in ended} == {corrections.HOLD_CANCELLED_REASON}
    no_drift(holding)


def test_restored_content_is_held_again(holding, member, moderator, product):
    item = review(member, product)
    for step in (moderation.hide, moderation.restore):
        step(
            user=moderator,
            community=holding,
            target_type="review",
            target_id=item.pk,
            reason="checked",
        )
    mine = score(member)
    assert (mine.lifetime, mine.balance, mine.pending) == (20, 0, 20)
    upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS + 1))
    assert (score(member).balance, score(member).pending) == (20, 0)
    no_drift(holding)


def test_hiding_spent_points_never_takes_the_balance_below_zero(
    holding, member, moderator, product
):
    item = review(member, product)
    upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS + 1))
    spend_points(member=member, community=holding, points=15, key="k", source=None)
    moderation.hide(
        user=moderator, community=holding, target_type="review", target_id=item.pk, reason="spam"
    )
    mine = score(member)
    assert (mine.lifetime, mine.balance, mine.pending) == (0, 0, 0)
    kept = LedgerEntry.objects.filter(member=member, action=actions.ALREADY_SPENT)
    assert sorted(row.points for row in kept) == [5, 10]  # per reversal: 5 left, then none
    no_drift(holding)


def test_without_a_window_hiding_spent_points_is_not_an_error(community, member, moderator):
    setup.ensure_defaults(community)
    product = ProductFactory(community=community, name="Mug", slug="mug")
    item = review(member, product)
    assert score(member).balance == 20
    spend_points(member=member, community=community, points=20, key="k", source=None)
    moderation.hide(
        user=moderator, community=community, target_type="review", target_id=item.pk, reason="x"
    )
    assert (score(member).lifetime, score(member).balance) == (0, 0)
    no_drift(community)


def test_only_reviews_and_photos_are_held(holding, member):
    topics.create_topic(
        user=member, community=holding, kind="discussion", title="Hello all", body="First!"
    )
    mine = score(member)
    assert (mine.balance, mine.pending) == (mine.lifetime, 0)
    assert not LedgerEntry.objects.filter(action=actions.POINTS_HELD).exists()


def test_points_are_spendable_at_once_by_default(community, member):
    setup.ensure_defaults(community)
    product = ProductFactory(community=community, name="Mug", slug="mug")
    review(member, product)
    assert (score(member).balance, score(member).pending) == (20, 0)


def test_history_and_outlook_say_when_points_become_spendable(holding, member, product):
    review(member, product)
    labels = [ledger_label(entry) for entry in ledger_for(member, holding)]
    assert any(label.startswith("Pending until ") and "Wrote a review" in label for label in labels)
    outlook = balance_outlook(member, holding)
    assert (outlook.balance, outlook.pending, outlook.pending_days) == (0, 20, DAYS)
    assert outlook.next_release_at > timezone.now()

    upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS + 1))
    labels = [ledger_label(entry) for entry in ledger_for(member, holding)]
    assert f"{HOLD_RELEASED_REASON}: Wrote a review" in labels


def test_dry_run_counts_without_writing(holding, member, product):
    review(member, product)
    summary = upkeep.release_due_points(now=timezone.now() + timedelta(days=DAYS + 1), dry_run=True)
    assert (summary.rows, summary.points) == (2, 20)
    assert score(member).pending == 20


def test_pending_window_must_end_before_points_could_expire(community):
    settings = CommunityGameSettings(community=community, pending_days=30, expiry_months=1)
    with pytest.raises(ValidationError, match="less time than it takes them to expire"):
        settings.full_clean()
    settings.pending_days = 27
    settings.full_clean()


def test_points_and_rewards_pages_show_pending_points(
    holding, member, product, client_for, django_assert_max_num_queries
):
    review(member, product)
    client = client_for(member)
    with django_assert_max_num_queries(19):
        ledger = client.get(f"/c/{holding.slug}/points/").content.decode()
    assert "20 more points pending" in ledger
    assert "Pending until" in ledger
    with django_assert_max_num_queries(14):
        catalog = client.get(f"/c/{holding.slug}/rewards/").content.decode()
    assert "20 more points pending" in catalog
    how = client.get(f"/c/{holding.slug}/how-points-work/").content.decode()
    assert f"can be spent {DAYS} days later" in how


def test_release_command_reports_what_it_did(holding, member, product):
    review(member, product)
    LedgerEntry.objects.filter(action=actions.POINTS_HELD).update(
        release_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("release_pending_points", "--dry-run", stdout=out)
    assert "would release 20 points from 2 holds for 1 members" in out.getvalue()
    assert score(member).pending == 20
    call_command("release_pending_points", stdout=out)
    assert "released 20 points from 2 holds for 1 members" in out.getvalue()
    assert (score(member).balance, score(member).pending) == (20, 0)
