import pytest
from django.core.management import CommandError, call_command

from gamification import actions, balance
from gamification.models import ActionCount, PeriodScore, Score
from tests.gamification.conftest import at


@pytest.fixture
def history(community, member, make_member, award):
    bob = make_member("bob")
    for day in range(1, 9):
        award(member, community, actions.REPLY_POSTED, at=at(f"2026-03-0{day}T22:30"))
    award(bob, community, actions.HELPFUL_VOTE_RECEIVED, actor=member, at=at("2026-03-02T10:00"))
    post = award(bob, community, actions.REVIEW_WRITTEN, at=at("2026-03-03T10:00"))
    return post


def _verify(capsys, *args):
    try:
        call_command("rebuild_scores", "--verify", *args)
    except CommandError as exc:
        return str(exc), capsys.readouterr().out
    return None, capsys.readouterr().out


def test_clean_ledger_verifies(history, capsys):
    error, out = _verify(capsys)
    assert error is None
    assert "Verified 1" in out


def test_verify_finds_injected_drift_and_rebuild_fixes_it(community, member, history, capsys):
    Score.objects.filter(member=member).update(lifetime=999)
    ActionCount.objects.filter(member=member).update(count=1)
    PeriodScore.objects.filter(member=member, kind="week").delete()
    error, out = _verify(capsys)
    assert error.startswith("Drift found")
    assert f"score member={member.pk} lifetime: stored 999" in out
    assert "action count" in out and "week points" in out
    call_command("rebuild_scores", "--community", community.slug)
    error, _ = _verify(capsys, "--community", community.slug)
    assert error is None


def test_rebuild_matches_what_the_engine_wrote(community, history):
    def snapshot():
        return (
            sorted(Score.objects.values_list("member_id", "lifetime", "balance", "reached_at")),
            sorted(ActionCount.objects.values_list("member_id", "action", "count")),
            sorted(
                PeriodScore.objects.values_list("member_id", "kind", "start", "points", "public")
            ),
        )

    before = snapshot()
    call_command("rebuild_scores")
    assert snapshot() == before


def test_rebuild_creates_missing_scores_and_keeps_opt_out(community, member, history):
    from gamification import preferences

    preferences.set_leaderboard_visibility(member=member, community=community, public=False)
    Score.objects.exclude(member=member).delete()
    call_command("rebuild_scores")
    assert Score.objects.count() == 2
    assert not PeriodScore.objects.filter(member=member, public=True).exists()


def test_unknown_community_is_an_error(db):
    with pytest.raises(CommandError, match="No community"):
        call_command("rebuild_scores", "--community", "nope")


def test_rebuild_keeps_spends_out_of_lifetime_but_in_balance(community, member, history, capsys):

    source = ActionCount.objects.first()
    spend = balance.spend_points(
        member=member, community=community, points=6, key="spend-1", source=source
    )
    balance.spend_points(member=member, community=community, points=4, key="spend-2", source=source)
    balance.refund_points(spend=spend, reason="cancelled")
    score = Score.objects.get(member=member)
    assert (score.lifetime, score.balance) == (26, 22)
    before = sorted(Score.objects.values_list("member_id", "lifetime", "balance", "reached_at"))
    periods = sorted(PeriodScore.objects.values_list("member_id", "kind", "start", "points"))
    Score.objects.filter(member=member).update(lifetime=0, balance=0)
    error, out = _verify(capsys)
    assert f"score member={member.pk} balance: stored 0, ledger says 22" in out
    call_command("rebuild_scores")
    assert sorted(Score.objects.values_list("member_id", "lifetime", "balance", "reached_at")) == (
        before
    )
    assert sorted(PeriodScore.objects.values_list("member_id", "kind", "start", "points")) == (
        periods
    )
    assert not ActionCount.objects.filter(action=actions.REWARD_SPENT).exists()
    assert _verify(capsys)[0] is None
