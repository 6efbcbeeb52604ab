"""Point expiry: off by default; spendable points expire after N quiet months, with a notice."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from gamification import actions, corrections, rebuild, setup, upkeep
from gamification.balance import spend_points
from gamification.models import CommunityGameSettings, ExpiryNotice, LedgerEntry, Score
from gamification.periods import add_months
from gamification.selectors.ledger import balance_outlook
from tests.gamification.conftest import at

MONTHS = 6
EARNED = at("2026-03-10 12:00")
DUE = add_months(EARNED, MONTHS)  # 10 September


@pytest.fixture
def expiring(community):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(expiry_months=MONTHS)
    return community


@pytest.fixture
def earner(member, community, award):
    award(member, community, actions.TOPIC_CREATED, at=EARNED)  # 5 + 10 first contribution
    return member


def score(member) -> Score:
    return Score.objects.get(member=member)


def run(now):
    return upkeep.send_expiry_notices(now=now), upkeep.expire_idle_points(now=now)


def no_drift(community) -> None:
    assert [str(line) for line in rebuild.verify(community).drift] == []


def test_points_never_expire_by_default(community, earner):
    notices, expired = run(DUE + timedelta(days=400))
    assert (notices.members, expired.members) == (0, 0)
    assert score(earner).balance == 15


def test_notice_two_weeks_before_then_expiry(expiring, earner):
    assert score(earner).active_at == EARNED
    notices, expired = run(DUE - timedelta(days=15))
    assert (notices.members, expired.members) == (0, 0)

    notices, _ = run(DUE - timedelta(days=14))
    assert (notices.members, notices.points) == (1, 15)
    notice = ExpiryNotice.objects.get(member=earner)
    assert notice.expires_at == DUE  # a later notice would still give two full weeks
    verbs = list(earner.notifications.values_list("verb", flat=True))
    assert verbs.count("have 15 points that expire soon") == 1
    assert run(DUE - timedelta(days=12))[0].members == 0  # one notice per quiet spell

    assert run(DUE - timedelta(seconds=1))[1].members == 0
    _, expired = run(DUE)
    assert (expired.members, expired.points) == (1, 15)
    mine = score(earner)
    assert (mine.lifetime, mine.balance) == (15, 0)  # lifetime points never expire
    row = LedgerEntry.objects.get(member=earner, action=actions.POINTS_EXPIRED)
    assert row.points == -15
    assert "lost 15 unspent points to expiry" in earner.notifications.values_list("verb", flat=True)
    assert run(DUE + timedelta(days=1))[1].members == 0
    no_drift(expiring)


def test_earning_after_the_notice_keeps_the_points(expiring, earner, award):
    run(DUE - timedelta(days=10))
    award(earner, expiring, actions.REPLY_POSTED, at=DUE - timedelta(days=5))
    _, expired = run(DUE + timedelta(days=1))
    assert expired.members == 0
    assert score(earner).balance == 17
    # A new quiet spell gets its own notice later.
    later = add_months(DUE - timedelta(days=5), MONTHS)
    assert run(later - timedelta(days=13))[0].members == 1
    assert ExpiryNotice.objects.filter(member=earner).count() == 2


def test_spending_counts_as_activity(expiring, earner):
    spent_at = DUE - timedelta(days=20)
    spend_points(member=earner, community=expiring, points=5, key="k", source=None, at=spent_at)
    assert score(earner).active_at == spent_at
    notices, expired = run(DUE + timedelta(days=1))
    assert (notices.members, expired.members) == (0, 0)
    no_drift(expiring)


def test_points_received_from_others_count_but_reversals_do_not(expiring, earner, award, make_obj):
    voter_award = DUE - timedelta(days=30)
    award(earner, expiring, actions.KUDOS_RECEIVED, at=voter_award, obj=make_obj())
    assert score(earner).active_at == voter_award
    obj = make_obj()
    award(earner, expiring, actions.REPLY_POSTED, at=DUE - timedelta(days=20), obj=obj)
    corrections.reverse_for_object(obj, reason="hidden")
    assert score(earner).active_at == DUE - timedelta(days=20)  # the reply itself was activity
    no_drift(expiring)


def test_turning_expiry_on_late_still_gives_two_weeks(community, earner):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(expiry_months=1)
    now = EARNED + timedelta(days=200)
    notices, expired = run(now)
    assert (notices.members, expired.members) == (1, 0)
    assert ExpiryNotice.objects.get(member=earner).expires_at == now + timedelta(days=14)
    assert run(now + timedelta(days=13))[1].members == 0
    assert run(now + timedelta(days=14))[1].members == 1


def test_turning_expiry_off_after_a_notice_keeps_the_points(expiring, earner):
    run(DUE - timedelta(days=10))
    CommunityGameSettings.objects.filter(community=expiring).update(expiry_months=None)
    assert run(DUE + timedelta(days=1))[1].members == 0
    assert score(earner).balance == 15


def test_pending_points_hold_off_the_notice(expiring, earner):
    Score.objects.filter(member=earner).update(pending=5)
    assert run(DUE - timedelta(days=1))[0].members == 0


def test_dry_run_writes_nothing(expiring, earner):
    notices = upkeep.send_expiry_notices(now=DUE - timedelta(days=1), dry_run=True)
    assert notices.members == 1
    assert not ExpiryNotice.objects.exists()


def test_outlook_shows_when_an_idle_balance_expires(expiring, earner):
    outlook = balance_outlook(earner, expiring)
    assert (outlook.balance, outlook.expiry_months, outlook.expires_at) == (15, MONTHS, DUE)


def test_rebuild_restores_the_last_activity(expiring, earner):
    Score.objects.filter(member=earner).update(active_at=None)
    assert [d.what for d in rebuild.verify(expiring).drift] == ["active_at"]
    rebuild.rebuild(expiring)
    assert score(earner).active_at == EARNED


def test_pages_say_when_points_expire(expiring, earner, client_for):
    client = client_for(earner)
    ledger = client.get(f"/c/{expiring.slug}/points/").content.decode()
    assert "your 15 points to spend expire then" in ledger
    assert f"{DUE:%-d %b %Y}" in ledger
    how = client.get(f"/c/{expiring.slug}/how-points-work/").content.decode()
    assert f"expire after {MONTHS} months in which you neither earn nor spend" in how


def test_expiry_is_not_mentioned_when_off(community, earner, client_for):
    ledger = client_for(earner).get(f"/c/{community.slug}/points/").content.decode()
    assert "expire" not in ledger


def test_expire_command_warns_then_expires(community, member, award):
    setup.ensure_defaults(community)
    CommunityGameSettings.objects.filter(community=community).update(expiry_months=1)
    award(member, community, actions.TOPIC_CREATED, at=EARNED)  # long ago: due now
    out = StringIO()
    call_command("expire_points", stdout=out)
    assert "warned 1 members (15 points); expired 0 points of 0 members" in out.getvalue()
    ExpiryNotice.objects.update(expires_at=EARNED)
    call_command("expire_points", stdout=out)
    assert "expired 15 points of 1 members" in out.getvalue()
    assert score(member).balance == 0


def test_deleted_accounts_are_left_alone(expiring, earner):
    User.objects.filter(pk=earner.pk).update(deleted_at=DUE)
    assert run(DUE + timedelta(days=30))[0].members == 0
    assert not earner.notifications.exists()
