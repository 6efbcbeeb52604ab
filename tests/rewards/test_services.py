from datetime import timedelta

import pytest
from django.utils import timezone
from notifications.models import Notification

from core.errors import AppError
from gamification.models import LedgerEntry, Level, Score
from rewards import services
from rewards.models import Redemption, Reward, RewardCode


def _redeem(member, reward, key="k1", **extra):
    return services.redeem(member=member, reward=reward, idempotency_key=key, **extra)


def test_redeem_spends_balance_takes_stock_and_gives_a_code(
    rich_member, community, make_reward, django_capture_on_commit_callbacks
):
    reward = make_reward(cost=80, stock=3)
    with django_capture_on_commit_callbacks(execute=True):
        redemption, created = _redeem(rich_member, reward)
    assert created and len(redemption.code) == 12
    score = Score.objects.get(member=rich_member)
    assert (score.lifetime, score.balance) == (200, 120)
    reward.refresh_from_db()
    assert reward.stock == 2
    note = Notification.objects.get(recipient=rich_member, verb="redeemed Reward 1")
    assert note.description == f"80 points spent · your code: {redemption.code}"


def test_same_key_redeems_once(rich_member, make_reward):
    reward = make_reward(cost=80)
    first, _ = _redeem(rich_member, reward)
    again, created = _redeem(rich_member, reward)
    assert again.pk == first.pk and not created
    assert Score.objects.get(member=rich_member).balance == 120


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"stock": 0}, services.OUT_OF_STOCK),
        ({"cost": 201}, services.NOT_ENOUGH_POINTS),
        ({"active": False}, services.NO_LONGER_VALID),
        ({"valid_from": timezone.now() + timedelta(days=1)}, services.NOT_YET_VALID),
        ({"valid_until": timezone.now() - timedelta(days=1)}, services.NO_LONGER_VALID),
        ({"kind": Reward.Kind.PHYSICAL_ITEM}, services.SHIPPING_NOTE_REQUIRED),
    ],
)
def test_refusals_leave_everything_untouched(rich_member, make_reward, extra, message):
    reward = make_reward(**extra)
    with pytest.raises(services.RedemptionError, match=message):
        _redeem(rich_member, reward)
    assert Score.objects.get(member=rich_member).balance == 200
    assert not Redemption.objects.exists()


def test_limit_per_member(rich_member, make_reward):
    reward = make_reward(cost=10, limit_per_member=1)
    _redeem(rich_member, reward, key="a")
    with pytest.raises(services.RedemptionError, match=services.LIMIT_REACHED):
        _redeem(rich_member, reward, key="b")


def test_level_too_low(rich_member, community, make_reward):
    level = Level.objects.get(community=community, name="Legend")
    reward = make_reward(min_level=level)
    with pytest.raises(services.RedemptionError) as error:
        _redeem(rich_member, reward)
    assert str(error.value) == services.LEVEL_TOO_LOW.format(level="Legend")


def test_non_member_cannot_redeem(make_user, make_reward):
    with pytest.raises(services.RedemptionError, match=services.NOT_A_MEMBER):
        _redeem(make_user("stranger"), make_reward())


def test_pool_codes_are_handed_out_once(rich_member, manager, make_reward):
    reward = make_reward(cost=10, code_source=Reward.CodeSource.POOL)
    added = services.add_pool_codes(
        reward=reward, by=manager, codes=services.parse_codes(b"AAA\nBBB\nAAA\n\n")
    )
    assert added == 2
    codes = {_redeem(rich_member, reward, key=k)[0].code for k in ("a", "b")}
    assert codes == {"AAA", "BBB"}
    with pytest.raises(services.RedemptionError, match=services.OUT_OF_STOCK):
        _redeem(rich_member, reward, key="c")
    assert RewardCode.objects.filter(redemption__isnull=True).count() == 0


def test_bad_csv_is_refused():
    with pytest.raises(AppError, match=services.BAD_CSV):
        services.parse_codes(b"\xff\xfe\x00")
    with pytest.raises(AppError, match=services.EMPTY_CSV):
        services.parse_codes(b"\n\n")


def test_physical_item_keeps_the_shipping_note(rich_member, make_reward):
    reward = make_reward(kind=Reward.Kind.PHYSICAL_ITEM)
    redemption, _ = _redeem(rich_member, reward, shipping_note=" 1 Bean St ")
    assert redemption.shipping_note == "1 Bean St" and redemption.code == ""


def test_cancel_refunds_through_a_reversal_and_returns_stock(rich_member, manager, make_reward):
    reward = make_reward(cost=80, stock=1)
    redemption, _ = _redeem(rich_member, reward)
    services.cancel_redemption(redemption=redemption, by=manager, reason="Out of beans")
    redemption.refresh_from_db()
    reward.refresh_from_db()
    assert redemption.status == Redemption.Status.CANCELLED and reward.stock == 1
    refund = LedgerEntry.objects.get(reverses=redemption.spend)
    assert refund.points == 80
    assert Score.objects.get(member=rich_member).balance == 200
    with pytest.raises(AppError, match="already cancelled"):
        services.fulfil_redemption(redemption=redemption, by=manager)


def test_only_brand_managers_handle_redemptions(rich_member, moderator, make_reward):
    redemption, _ = _redeem(rich_member, make_reward())
    with pytest.raises(AppError, match=services.NOT_BRAND_MANAGER):
        services.fulfil_redemption(redemption=redemption, by=moderator)


def test_fulfil(rich_member, manager, make_reward):
    redemption, _ = _redeem(rich_member, make_reward())
    services.fulfil_redemption(redemption=redemption, by=manager)
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.FULFILLED and redemption.handled_by == manager
