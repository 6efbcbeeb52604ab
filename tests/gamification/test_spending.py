import pytest
from django.db import IntegrityError, transaction

from core import errors
from gamification import actions
from gamification.balance import NOT_ENOUGH_POINTS, refund_points, spend_points
from gamification.models import LedgerEntry, Score


@pytest.fixture
def rich(member, community, award):
    award(member, community, actions.REVIEW_WRITTEN)  # 10 + 10 first-contribution bonus
    return member


def test_spend_lowers_balance_only_and_is_idempotent(rich, community, make_obj):
    source = make_obj()
    spend = spend_points(member=rich, community=community, points=15, key="k1", source=source)
    again = spend_points(member=rich, community=community, points=15, key="k1", source=source)
    score = Score.objects.get(member=rich)
    assert (score.lifetime, score.balance) == (20, 5)
    assert again is None
    assert spend.action == actions.REWARD_SPENT and spend.points == -15


def test_spend_refuses_more_than_the_balance(rich, community, make_obj):
    with pytest.raises(errors.AppError, match=NOT_ENOUGH_POINTS):
        spend_points(member=rich, community=community, points=21, key="k", source=None)
    assert Score.objects.get(member=rich).balance == 20
    assert not LedgerEntry.objects.filter(action=actions.REWARD_SPENT).exists()


def test_refund_reverses_once(rich, community, make_obj):
    spend = spend_points(member=rich, community=community, points=20, key="k", source=make_obj())
    refund = refund_points(spend=spend, reason="cancelled")
    assert refund_points(spend=spend, reason="again") is None
    assert refund.reverses_id == spend.pk and refund.points == 20
    score = Score.objects.get(member=rich)
    assert (score.lifetime, score.balance) == (20, 20)


def test_database_refuses_a_negative_balance(rich, community):
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(member=rich).update(balance=-1)
