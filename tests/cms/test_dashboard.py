"""Dashboard figures against a small hand-computed fixture (window: 1-7 Jan 2026, UTC).

alice: review 1 Jan (10), reply 3 Jan (2), reply 3 Jan (2)      -> active on 2 days, 14 points
bob:   topic 7 Jan (5), kudos 5 Jan (10, not a contribution)    -> active on 1 day, 15 points
carol: photo 2 Jan (5), reversed 4 Jan (-5)                     -> not active, 0 points
dave:  review 31 Dec (10)                                       -> outside; monthly active only
erin:  joined 8 Jan                                             -> not a member yet
"""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.utils.html import escape

from cms import engagement
from cms.access import sync_brand_manager_access
from cms.models import ChallengeProgress
from community.models import Membership
from gamification import actions
from gamification.models import LedgerEntry

JAN = "/cms/engagement/roasters/?period=custom&start=2026-01-01&end=2026-01-07"


def at(day: int, month: int = 1, year: int = 2026, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def ledger(community, make_member):
    people = {name: make_member(name) for name in ("alice", "bob", "carol", "dave", "erin")}
    Membership.objects.filter(community=community).update(joined_at=at(1, 12, 2025))
    Membership.objects.filter(user=people["erin"]).update(joined_at=at(8))
    rows = [
        ("alice", actions.REVIEW_WRITTEN, 10, at(1)),
        ("alice", actions.REPLY_POSTED, 2, at(3)),
        ("alice", actions.REPLY_POSTED, 2, at(3, hour=18)),
        ("bob", actions.TOPIC_CREATED, 5, at(7, hour=23)),
        ("bob", actions.KUDOS_RECEIVED, 10, at(5)),
        ("carol", actions.PHOTO_UPLOADED, 5, at(2)),
        ("dave", actions.REVIEW_WRITTEN, 10, at(31, 12, 2025)),
    ]
    written = {}
    for i, (name, action, points, when) in enumerate(rows):
        entry = LedgerEntry.objects.create(
            community=community, member=people[name], action=action, points=points, key=f"k{i}"
        )
        LedgerEntry.objects.filter(pk=entry.pk).update(created_at=when)
        written[(name, action)] = entry
    reversal = LedgerEntry.objects.create(
        community=community,
        member=people["carol"],
        action=actions.PHOTO_UPLOADED,
        points=-5,
        key="reversal",
        reverses=written[("carol", actions.PHOTO_UPLOADED)],
    )
    LedgerEntry.objects.filter(pk=reversal.pk).update(created_at=at(4))
    return people


@pytest.fixture
def window(community, ledger):
    return engagement.Window(community, date(2026, 1, 1), date(2026, 1, 7))


def test_summary_figures(window):
    s = engagement.summary(window)
    assert (s.members, s.new_members, s.active) == (4, 0, 2)
    assert s.daily_active == round(3 / 7, 2)
    assert (s.weekly_active, s.monthly_active) == (2, 3)
    assert s.engagement_rate == 50.0
    assert (s.repeat_members, s.repeat_rate) == (1, 50.0)
    assert s.contributions == 4


def test_days_follow_the_community_time_zone(community, window):
    community.time_zone = "America/New_York"
    community.save()
    # bob's topic at 23:00 UTC on 7 Jan is 18:00 in New York: still 7 Jan; alice's 18:00 UTC
    # reply on 3 Jan is 13:00 local: same day. The window now starts at 05:00 UTC on 1 Jan, so
    # alice's review at 12:00 UTC still counts.
    local = engagement.Window(community, date(2026, 1, 1), date(2026, 1, 7))
    assert local.start() == datetime(2026, 1, 1, 5, tzinfo=UTC)
    assert engagement.summary(local).contributions == 4


def test_contributions_by_type_per_day(window):
    table = engagement.contributions_table(window)
    assert table.columns == ["Day", "Posted a reply", "Wrote a review", "Started a topic", "Total"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert len(rows) == 7
    assert rows["2026-01-01"] == [0, 1, 0, 1]
    assert rows["2026-01-03"] == [2, 0, 0, 2]
    assert rows["2026-01-07"] == [0, 0, 1, 1]
    assert rows["2026-01-02"] == [0, 0, 0, 0]  # carol's photo was reversed


def test_active_members_per_day(window):
    rows = dict(engagement.daily_active_table(window).rows)
    assert rows == {
        "2026-01-01": 1,
        "2026-01-02": 0,
        "2026-01-03": 1,
        "2026-01-04": 0,
        "2026-01-05": 0,
        "2026-01-06": 0,
        "2026-01-07": 1,
    }


def test_long_windows_bucket_by_week(community, ledger):
    wide = engagement.Window(community, date(2025, 12, 1), date(2026, 1, 31))
    rows = dict(engagement.daily_active_table(wide).rows)
    assert rows["2025-12-29"] == 2  # week of Monday 29 Dec: dave (31 Dec) and alice (1 Jan)
    assert rows["2026-01-05"] == 1


def test_top_contributors_by_net_points(window):
    assert engagement.top_contributors_table(window).rows == [["bob", 15, 1], ["alice", 14, 3]]


def test_challenge_participation_and_completion(community, window, ledger, make_challenge):
    challenge = make_challenge(starts_at=at(2), ends_at=at(20))
    make_challenge(title="Later", starts_at=at(10), ends_at=at(20))
    for name, done in (("alice", True), ("bob", False)):
        ChallengeProgress.objects.create(
            challenge=challenge,
            member=ledger[name],
            count=2 if done else 1,
            joined_at=at(3),
            updated_at=at(3),
            completed_at=at(3) if done else None,
            finish_rank=1 if done else None,
        )
    assert engagement.challenges_table(window).rows == [
        ["Photo week", "2026-01-02", "2026-01-20", 2, 1, 50.0, 50.0]
    ]


@pytest.fixture
def brand(community, make_member):
    user = make_member("brand", role=Membership.Role.BRAND_MANAGER)
    sync_brand_manager_access(community)
    return user


def test_dashboard_page_and_csv_export(
    brand, ledger, pages, client_for, django_assert_max_num_queries
):
    client = client_for(brand)
    with django_assert_max_num_queries(30):
        response = client.get(JAN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "Engagement rate (%)" in body and "Download CSV" in body
    export = client.get(JAN + "&export=top")
    assert export["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(export.content.decode()))) == [
        ["Member", "Points", "Contributions"],
        ["bob", "15", "1"],
        ["alice", "14", "3"],
    ]
    assert client.get(JAN + "&export=nope").status_code == 404


def test_bad_window_is_a_form_error_not_a_crash(brand, client_for):
    from cms.forms import CUSTOM_NEEDS_DATES, END_BEFORE_START

    client = client_for(brand)
    response = client.get("/cms/engagement/roasters/?period=custom&start=2026-01-05")
    assert response.status_code == 200 and CUSTOM_NEEDS_DATES in response.content.decode()
    response = client.get("/cms/engagement/roasters/?period=custom&start=2026-01-05&end=2026-01-01")
    assert escape(END_BEFORE_START) in response.content.decode()
    response = client.get("/cms/engagement/roasters/?period=12&start=junk")
    assert response.status_code == 200


def test_dashboard_is_for_the_communitys_brand_managers(
    community, make_community, brand, make_member, client_for
):
    other = make_community("elsewhere")
    client = client_for(brand)
    assert client.get("/cms/engagement/").status_code == 302  # one community: straight to it
    assert client.get("/cms/engagement/elsewhere/").status_code == 404
    outsider = make_member("outside-brand", role=Membership.Role.BRAND_MANAGER, into=other)
    sync_brand_manager_access(other)
    assert client_for(outsider).get("/cms/engagement/roasters/").status_code == 404
    moderator = make_member("mo", role=Membership.Role.MODERATOR)
    response = client_for(moderator).get("/cms/engagement/roasters/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    home = client.get("/cms/").content.decode()
    assert "Engagement" in home
