"""Topic lists sorted by latest activity, newest, top of the week/month and unanswered; a
question's answers accepted first, then by helpful votes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from community import selectors
from community.models import HelpfulVote, Topic
from community.services import topics
from tests.community.helpers import join, topic


@pytest.fixture
def people(make_user, community):
    users = [make_user(name) for name in ("alice", "bob", "cara", "dan")]
    for user in users:
        join(user, community)
    return users


def titles(queryset):
    return [t.title for t in queryset]


def vote(voter, post):
    HelpfulVote.objects.create(post=post, voter=voter)  # the row only: ordering reads counts


def test_latest_newest_and_unanswered(people, community):
    alice, bob, cara, _ = people
    old = topic(alice, community, kind="question", title="Old question")
    answered = topic(bob, community, kind="question", title="Answered question")
    chat = topic(cara, community, title="Chat")
    topics.reply(user=alice, topic=answered, body="Here is how.")
    topics.reply(user=bob, topic=old, body="Bump with an answer")
    Topic.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() + timedelta(minutes=1))

    assert titles(selectors.topics(community))[0] == "Old question"
    assert titles(selectors.topics(community, sort="new")) == [
        "Chat",
        "Answered question",
        "Old question",
    ]
    unanswered = topic(cara, community, kind="question", title="Nobody knows")
    assert titles(selectors.topics(community, sort="unanswered")) == [unanswered.title]
    assert chat.pk not in [t.pk for t in selectors.topics(community, sort="unanswered")]


def test_top_of_the_week_counts_helpful_votes_on_recent_topics(people, community):
    alice, bob, cara, dan = people
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        ancient = topic(alice, community, title="Month old")
    topic(bob, community, title="Quiet")
    loved = topic(cara, community, title="Loved")
    for voter in (alice, bob, dan):
        vote(voter, loved.posts.get())
    vote(alice, ancient.posts.get())
    vote(bob, ancient.posts.get())
    vote(cara, ancient.posts.get())
    vote(dan, ancient.posts.get())

    assert titles(selectors.topics(community, sort="top-week")) == ["Loved", "Quiet"]
    assert titles(selectors.topics(community, sort="top-month")) == ["Month old", "Loved", "Quiet"]


def test_answers_come_accepted_first_then_by_helpful_votes(people, community):
    alice, bob, cara, dan = people
    question = topic(alice, community, kind="question", title="Which grinder?")
    first = topics.reply(user=bob, topic=question, body="A hand grinder.")
    helpful = topics.reply(user=cara, topic=question, body="A burr grinder.")
    accepted = topics.reply(user=dan, topic=question, body="The one you have.")
    vote(alice, helpful)
    vote(bob, helpful)
    topics.accept_answer(user=alice, post=accepted)

    order = list(selectors.posts(question, viewer=alice, staff=False))

    assert [p.pk for p in order[1:]] == [accepted.pk, helpful.pk, first.pk]
    assert order[0].is_opening


def test_discussion_replies_stay_chronological(people, community):
    alice, bob, cara, _ = people
    chat = topic(alice, community, title="Chat")
    first = topics.reply(user=bob, topic=chat, body="One")
    second = topics.reply(user=cara, topic=chat, body="Two")
    vote(alice, second)

    order = [p.pk for p in selectors.posts(chat, viewer=alice, staff=False)][1:]

    assert order == [first.pk, second.pk]


def test_the_forum_page_has_a_sort_control(client, people, community):
    topic(people[0], community, kind="question", title="Nobody knows")
    topic(people[1], community, title="Chat")

    response = client.get(f"/c/{community.slug}/", {"sort": "unanswered"})

    assert b'<option value="unanswered" selected>' in response.content
    assert b"Nobody knows" in response.content and b"Chat</a>" not in response.content
    assert client.get(f"/c/{community.slug}/", {"sort": "bogus"}).status_code == 200


def test_the_api_sorts_and_refuses_an_unknown_sort(people, community):
    topic(people[0], community, kind="question", title="Nobody knows")
    topic(people[1], community, title="Chat")
    url = f"/api/v1/communities/{community.slug}/topics/"

    body = APIClient().get(url, {"sort": "unanswered"}).json()

    assert [t["title"] for t in body["results"]] == ["Nobody knows"]
    assert APIClient().get(url, {"sort": "bogus"}).status_code == 400
