from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gamification import actions, awards, preferences
from gamification.models import CommunityGameSettings
from gamification.selectors.leaderboard import ALL, LAST_WEEK, MONTH, PERIODS, WEEK, leaderboard
from tenancy.models import Membership


@pytest.fixture
def now():
    return timezone.now()


def _names(board):
    return [e.username for e in board.entries]


def test_ties_go_to_who_got_there_first(community, make_member, award, now):
    early, late, top = make_member("early"), make_member("late"), make_member("top")
    award(late, community, actions.REVIEW_WRITTEN, at=now - timedelta(minutes=5))
    award(early, community, actions.REVIEW_WRITTEN, at=now - timedelta(minutes=50))
    award(top, community, actions.ANSWER_ACCEPTED, at=now - timedelta(minutes=1), actor=early)
    award(top, community, actions.ANSWER_POSTED, at=now - timedelta(minutes=1))
    for period in (WEEK, MONTH, ALL):
        board = leaderboard(community, period=period, viewer=late)
        assert _names(board) == ["top", "early", "late"]
        assert [e.rank for e in board.entries] == [1, 2, 3]
        assert (board.me.rank, board.me.gap_to_next, board.me.next_username) == (3, 0, "early")


def test_opted_out_member_is_ranked_privately(community, make_member, award, now):
    shy, other = make_member("shy"), make_member("other")
    award(shy, community, actions.REVIEW_WRITTEN, at=now)
    award(other, community, actions.REPLY_POSTED, at=now)
    preferences.set_leaderboard_visibility(member=shy, community=community, public=False)
    assert _names(leaderboard(community, period=ALL, viewer=other)) == ["other"]
    board = leaderboard(community, period=WEEK, viewer=shy)
    assert _names(board) == ["other"]
    assert (board.me.rank, board.me.public) == (1, False)
    preferences.set_leaderboard_visibility(member=shy, community=community, public=True)
    assert _names(leaderboard(community, period=WEEK)) == ["shy", "other"]


def test_staff_are_off_public_boards_unless_the_community_says_so(
    community, moderator, member, award, now
):
    award(moderator, community, actions.REVIEW_WRITTEN, at=now)
    award(member, community, actions.REPLY_POSTED, at=now)
    assert _names(leaderboard(community, period=ALL)) == ["alice"]
    CommunityGameSettings.objects.update_or_create(
        community=community, defaults={"staff_on_boards": True}
    )
    assert _names(leaderboard(community, period=ALL)) == ["morgan", "alice"]


def test_last_week_is_the_previous_calendar_week(community, member, make_member, award, now):
    bob = make_member("bob")
    award(bob, community, actions.REVIEW_WRITTEN, at=now - timedelta(days=7))
    award(member, community, actions.REPLY_POSTED, at=now)
    assert _names(leaderboard(community, period=LAST_WEEK)) == ["bob"]
    assert _names(leaderboard(community, period=WEEK)) == ["alice"]


def test_an_award_shows_on_the_board_at_once(community, member, make_obj):
    assert leaderboard(community, period=WEEK).entries == []
    awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    (entry,) = leaderboard(community, period=WEEK).entries
    assert (entry.username, entry.points, entry.level) == ("alice", 20, "Newcomer")


def test_viewer_without_points_has_no_rank(community, member):
    board = leaderboard(community, period=ALL, viewer=member)
    assert (board.me.rank, board.me.points, board.me.gap_to_next) == (None, 0, None)


def _populate(community, make_member, award, now, start, count):
    for i in range(start, start + count):
        user = make_member(f"m{i}")
        award(user, community, actions.REVIEW_WRITTEN, at=now - timedelta(minutes=i))


def test_leaderboard_page_query_count_is_flat(
    community, member, make_member, award, now, client_for, django_assert_max_num_queries
):
    client = client_for(member)
    url = reverse("gamification:leaderboard", args=[community.slug])
    award(member, community, actions.REPLY_POSTED, at=now)
    _populate(community, make_member, award, now, 0, 3)
    for period in PERIODS:
        client.get(url, {"period": period})
    with django_assert_max_num_queries(16) as small:
        client.get(url, {"period": "week"})
    _populate(community, make_member, award, now, 3, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"period": "week"})
    body = response.content.decode()
    assert body.count("board-row") == 50
    assert "Your standing" in body


def test_leaderboard_page_periods_and_bad_period(client, community, member, award, now):
    award(member, community, actions.REVIEW_WRITTEN, at=now)
    url = reverse("gamification:leaderboard", args=[community.slug])
    for period in [*PERIODS, "bogus", "<script>"]:
        response = client.get(url, {"period": period})
        assert response.status_code == 200
    assert "Log in to see your own rank" in response.content.decode()


def test_visibility_toggle_needs_membership_and_post(client_for, community, member, make_user):
    url = reverse("gamification:leaderboard_visibility", args=[community.slug])
    assert client_for(member).get(url).status_code == 405
    client_for(member).post(url, {"public": "0"})
    board = leaderboard(community, period=ALL, viewer=member)
    assert (board.me.rank, board.me.public) == (None, False)
    outsider = make_user("outsider")
    assert client_for(outsider).post(url, {"public": "0"}).status_code == 403


def test_private_community_board_is_hidden_from_outsiders(client, make_community):
    secret = make_community("secret", is_public=False)
    url = reverse("gamification:leaderboard", args=[secret.slug])
    assert client.get(url).status_code == 404
    api = reverse("api-leaderboard", args=[secret.slug])
    assert client.get(api).status_code == 404


def test_staff_role_change_is_reflected_immediately(community, member, award, now):
    award(member, community, actions.REVIEW_WRITTEN, at=now)
    Membership.objects.filter(user=member).update(role=Membership.Role.MODERATOR)
    assert leaderboard(community, period=ALL).entries == []
