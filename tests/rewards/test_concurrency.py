"""Racing redemptions on PostgreSQL: real threads, real connections, committed data."""

import pytest

from gamification.models import Score
from rewards import services
from rewards.models import Redemption
from tests.factories import MembershipFactory
from tests.threads import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def _race(count, work):
    """Each racer's redemption, or the message of the refusal it got."""
    return [
        str(outcome) if isinstance(outcome, services.RedemptionError) else outcome
        for outcome in race(count, work)
    ]


@pytest.mark.django_db(transaction=True)
def test_fifty_members_racing_for_stock_five_get_exactly_five(
    community, make_user, give_points, make_reward
):
    members = []
    for i in range(50):
        user = make_user(f"racer{i}")
        MembershipFactory(user=user, community=community)
        give_points(user, community, 100)
        members.append(user)
    reward = make_reward(cost=60, stock=5)
    outcomes = _race(
        50,
        lambda i: services.redeem(member=members[i], reward=reward, idempotency_key="k"),
    )
    assert len(outcomes) == 50
    assert outcomes.count(services.OUT_OF_STOCK) == 45
    assert Redemption.objects.count() == 5
    reward.refresh_from_db()
    assert reward.stock == 0
    assert sorted(Score.objects.values_list("balance", flat=True)) == [40] * 5 + [100] * 45


@pytest.mark.django_db(transaction=True)
def test_one_member_racing_with_many_keys_never_goes_negative(rich_member, make_reward):
    reward = make_reward(cost=60)
    outcomes = _race(
        10, lambda i: services.redeem(member=rich_member, reward=reward, idempotency_key=str(i))
    )
    assert outcomes.count(services.NOT_ENOUGH_POINTS) == 7
    assert Score.objects.get(member=rich_member).balance == 20


@pytest.mark.django_db(transaction=True)
def test_same_key_racing_redeems_once(rich_member, make_reward):
    reward = make_reward(cost=10)
    _race(10, lambda i: services.redeem(member=rich_member, reward=reward, idempotency_key="same"))
    assert Redemption.objects.count() == 1
    assert Score.objects.get(member=rich_member).balance == 190
