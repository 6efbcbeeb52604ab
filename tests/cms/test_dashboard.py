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
from gamification import actions
from gamification.models import LedgerEntry
from tenancy.models import Membership

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


def test_dashboard_page_and_csv_export(
    brand, ledger, pages, client_for, django_assert_max_num_queries
):
    client = client_for(brand)
    # 3 of these are the purchases section (commerce): one aggregate per kind of figure.
    with django_assert_max_num_queries(33):
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


@pytest.fixture
def answers(community, ledger):
    """Helpful votes on answers, hand-counted for 1-7 Jan 2026:

    q1 "Grind size?": alice's answer a1 gets votes from bob (2 Jan), carol (3 Jan) and dave
    (9 Jan, outside) -> 2; carol's answer a2 gets bob's vote (5 Jan) -> 1; dave's hidden answer
    gets 3 votes -> left out. bob's discussion reply gets 2 votes -> not an answer. erin's answer
    a3 in the hidden question q2 gets a vote -> left out. The question's opening post gets a vote
    -> not an answer.
    """
    from community.models import HelpfulVote, Post, Topic

    def topic(title, kind="question", hidden=False):
        made = Topic.objects.create(
            community=community, author=ledger["erin"], kind=kind, title=title, is_hidden=hidden
        )
        Post.objects.create(topic=made, author=made.author, is_opening=True, body="?", body_html="")
        return made

    def answer(on, name, hidden=False):
        return Post.objects.create(
            topic=on, author=ledger[name], body="Yes.", body_html="", is_hidden=hidden
        )

    def votes(post, *cast):
        for name, day in cast:
            vote = HelpfulVote.objects.create(post=post, voter=ledger[name])
            HelpfulVote.objects.filter(pk=vote.pk).update(created_at=at(day))

    q1, q2 = topic("Grind size?"), topic("Hidden question", hidden=True)
    chat = topic("Morning chat", kind="discussion")
    a1, a2 = answer(q1, "alice"), answer(q1, "carol")
    votes(a1, ("bob", 2), ("carol", 3), ("dave", 9))
    votes(a2, ("bob", 5))
    votes(answer(q1, "dave", hidden=True), ("alice", 2), ("bob", 2), ("carol", 2))
    votes(answer(chat, "bob"), ("alice", 2), ("carol", 2))
    votes(answer(q2, "erin"), ("alice", 2))
    votes(q1.posts.get(is_opening=True), ("alice", 2))
    return q1, a1, a2


def test_most_helpful_answers(window, answers):
    q1, a1, a2 = answers
    url = f"/c/roasters/topics/{q1.pk}/#post-"
    rows = engagement.helpful_answers_table(window).rows
    assert rows == [
        [engagement.Link("Grind size?", f"{url}{a1.pk}"), "alice", 2, f"{url}{a1.pk}"],
        [engagement.Link("Grind size?", f"{url}{a2.pk}"), "carol", 1, f"{url}{a2.pk}"],
    ]


def test_most_helpful_answers_on_the_dashboard_and_in_csv(brand, answers, pages, client_for):
    q1, a1, _ = answers
    client = client_for(brand)
    body = client.get(JAN).content.decode()
    assert "Most-helpful answers" in body
    assert f'<a href="/c/roasters/topics/{q1.pk}/#post-{a1.pk}">Grind size?</a>' in body
    export = client.get(JAN + "&export=helpful")
    assert list(csv.reader(io.StringIO(export.content.decode())))[:2] == [
        ["Question", "Answer by", "Helpful votes", "Answer URL"],
        ["Grind size?", "alice", "2", f"/c/roasters/topics/{q1.pk}/#post-{a1.pk}"],
    ]
