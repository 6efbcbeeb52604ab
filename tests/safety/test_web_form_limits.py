"""Every rate-limited web form shows the refusal on the page, with the time to wait.

Not a bare 429 page: the member's form (or the page they came from) comes back with the message
"You're doing that too often. Please try again in <wait>." and nothing is stored twice. A 429
carries ``Retry-After`` with the seconds left, as the API's throttled answers do.
"""

import re

import pytest
from django.utils.html import escape

from community.models import Photo, Report, Topic
from community.services import topics
from gamification.models import Kudos
from safety.ratelimit import TOO_MANY
from tests.community.helpers import image_bytes, join, topic, upload

REFUSED = re.compile(re.escape(escape(TOO_MANY.split("{")[0])) + r"\d+ (second|minute)")


@pytest.fixture
def limits(settings):
    def set_limit(name, hits, seconds=600):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: (hits, seconds)}

    return set_limit


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


def _shows_wait(response) -> bool:
    return bool(REFUSED.search(response.content.decode()))


def _retry_after(response) -> int:
    """The seconds the 429 asks the client to wait (the window is 600 s unless told)."""
    assert response.status_code == 429
    return int(response["Retry-After"])


def test_new_topic_form(client_for, limits, member, community):
    limits("post", 1)
    client = client_for(member)
    data = {"kind": "discussion", "title": "Grinders", "body": "Burr or blade?"}
    assert client.post("/c/roasters/topics/new/", data).status_code == 302
    response = client.post("/c/roasters/topics/new/", {**data, "title": "Kettles"})
    assert 0 < _retry_after(response) <= 600
    assert _shows_wait(response)
    assert 'name="title"' in response.content.decode(), "the form comes back, filled in"
    assert Topic.objects.count() == 1


def test_reply_form(client_for, limits, member, moderator, community):
    limits("post", 1)
    opening = topic(moderator, community)
    client = client_for(member)
    url = f"/c/roasters/topics/{opening.pk}/reply/"
    assert client.post(url, {"body": "first"}).status_code == 302
    response = client.post(url, {"body": "second"})
    assert 0 < _retry_after(response) <= 600
    assert _shows_wait(response)


def test_helpful_vote_button(client_for, limits, member, bob, community):
    limits("vote", 1)
    opening = topic(bob, community)
    first = topics.reply(user=bob, topic=opening, body="One")
    second = topics.reply(user=bob, topic=opening, body="Two")
    client = client_for(member)
    client.post(f"/c/roasters/posts/{first.pk}/helpful/")
    response = client.post(f"/c/roasters/posts/{second.pk}/helpful/", follow=True)
    assert response.status_code == 200
    assert _shows_wait(response)
    assert not second.helpful_votes.exists()


def test_photo_upload_form(client_for, limits, member, community):
    limits("upload", 1)
    client = client_for(member)
    for _ in range(2):
        response = client.post(
            "/c/roasters/photos/new/", {"image": upload(image_bytes()), "caption": "Cup"}
        )
    assert 0 < _retry_after(response) <= 600
    assert _shows_wait(response)
    assert Photo.objects.count() == 1


def test_report_form(client_for, limits, member, bob, community):
    limits("report", 1)
    opening = topic(bob, community)
    answer = topics.reply(user=bob, topic=opening, body="Buy my stuff")
    client = client_for(member)
    data = {"reason": "Spam"}
    client.post(f"/c/roasters/report/post/{opening.posts.first().pk}/", data)
    response = client.post(f"/c/roasters/report/post/{answer.pk}/", data)
    assert 0 < _retry_after(response) <= 600
    assert _shows_wait(response)
    assert Report.objects.count() == 1


def test_kudos_form(client_for, limits, member, moderator, bob, community):
    limits("kudos", 1)
    client = client_for(moderator)
    for name in ("alice", "bob"):
        response = client.post(
            "/c/roasters/recognition/kudos/",
            {"recipient": name, "message": "Thanks", "points": "5"},
        )
    assert 0 < _retry_after(response) <= 600
    assert _shows_wait(response)
    assert Kudos.objects.count() == 1


def test_community_pace_on_the_topic_form(client_for, member, community):
    community.post_interval_seconds = 120
    community.save()
    client = client_for(member)
    client.post("/c/roasters/topics/new/", {"kind": "discussion", "title": "A", "body": "a"})
    response = client.post(
        "/c/roasters/topics/new/", {"kind": "discussion", "title": "B", "body": "b"}
    )
    assert 0 < _retry_after(response) <= 120, "the seconds left of the community's pace"
    assert re.search(r"Please try again in (1|2) minute", response.content.decode())
