import pytest
from django.utils import timezone

from gamification import actions, privileges, setup
from gamification.models import PrivilegeUse, Score
from gamification.recognitions import STREAK_MILESTONE
from gamification.selectors import progress
from tests.factories import MembershipFactory
from tests.gamification.conftest import at


@pytest.fixture
def defaults(community):
    setup.ensure_defaults(community)


def test_newcomer_photo_limit_has_a_clear_message(member, community, defaults):
    privileges.check(member, community, "photo")
    privileges.check(member, community, "photo")
    with pytest.raises(privileges.PrivilegeDenied) as exc:
        privileges.check(member, community, "photo")
    assert str(exc.value) == privileges.LIMIT_REACHED.format(
        level="Newcomer", limit=2, noun="photos", next_level="Regular"
    )
    assert PrivilegeUse.objects.get().used == 2


def test_several_links_at_once_count_against_the_limit(member, community, defaults):
    with pytest.raises(privileges.PrivilegeDenied):
        privileges.check(member, community, "link", count=2)
    assert PrivilegeUse.objects.get().used == 0


def test_higher_level_lifts_limits(member, community, defaults):
    Score.objects.create(
        community=community, member=member, lifetime=250, reached_at=timezone.now()
    )
    for _ in range(10):
        privileges.check(member, community, "topic")  # Contributors have no topic limit
    for _ in range(30):
        privileges.check(member, community, "photo")
    with pytest.raises(privileges.PrivilegeDenied) as exc:
        privileges.check(member, community, "photo")
    assert "Insider" in str(exc.value)


def test_staff_have_no_limits(moderator, community, defaults):
    for _ in range(5):
        privileges.check(moderator, community, "link")


def test_zero_limit_means_locked_until_next_level(member, community, defaults):
    from gamification.models import LevelPrivilege

    LevelPrivilege.objects.filter(level__name="Newcomer", kind="link").update(daily_limit=0)
    with pytest.raises(privileges.PrivilegeDenied) as exc:
        privileges.check(member, community, "link")
    assert str(exc.value) == privileges.NOT_ALLOWED.format(next_level="Regular", noun="links")


def test_unknown_kind_is_a_programming_error(member, community):
    with pytest.raises(ValueError):
        privileges.check(member, community, "teleport")


def test_streak_counts_local_days_across_midnight(member, make_community, award):
    ny = make_community("ny", time_zone="America/New_York")
    MembershipFactory(user=member, community=ny)
    # 23:30 and 00:30 New York time: two consecutive local days, one UTC day.
    award(member, ny, actions.REPLY_POSTED, at=at("2026-03-10T23:30", "America/New_York"))
    award(member, ny, actions.REPLY_POSTED, at=at("2026-03-11T00:30", "America/New_York"))
    score = Score.objects.get(community=ny)
    assert (score.current_streak, str(score.last_active_day)) == (2, "2026-03-11")


def test_two_utc_days_can_be_one_local_day(member, make_community, award):
    tokyo = make_community("tokyo", time_zone="Asia/Tokyo")
    MembershipFactory(user=member, community=tokyo)
    award(member, tokyo, actions.REPLY_POSTED, at=at("2026-03-10T15:30"))  # 00:30 on the 11th
    award(member, tokyo, actions.REPLY_POSTED, at=at("2026-03-11T14:00"))  # 23:00 on the 11th
    assert Score.objects.get(community=tokyo).current_streak == 1


def test_gap_resets_current_but_keeps_longest_and_milestones_fire(member, community, award):
    milestones = []
    for day in (1, 2, 3, 5):
        r = award(member, community, actions.ANSWER_POSTED, at=at(f"2026-03-0{day}T09:00"))
        milestones += [e["days"] for e in r.of_type(STREAK_MILESTONE)]
    score = Score.objects.get(member=member)
    assert (score.current_streak, score.longest_streak, milestones) == (1, 3, [3])


def test_received_awards_do_not_extend_a_streak(member, community, award, make_member):
    voter = make_member("voter")
    award(member, community, actions.HELPFUL_VOTE_RECEIVED, actor=voter, at=at("2026-03-01T09:00"))
    assert Score.objects.get(member=member).current_streak == 0


def test_missed_yesterday_shows_a_broken_streak(member, community, award):
    award(member, community, actions.REPLY_POSTED, at=timezone.now() - timezone.timedelta(days=3))
    streak = progress.member_progress(member, community).streak
    assert (streak.current, streak.longest) == (0, 1)
