"""Rate limits on posting, voting, uploads, reports and kudos, and each community's pace."""

from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.services import gate, topics
from core import errors as core_errors
from safety.ratelimit import TOO_MANY
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, topic, upload

API = "/api/v1"
REFUSED = TOO_MANY.split("{")[0]


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


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


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= 600
    assert response.json()["message"].startswith(REFUSED)
    assert response.json()["errors"] == {}


def test_replies_are_limited_in_the_api(api_for, limits, member, moderator, community):
    limits("post", 2)
    opening = topic(moderator, community)
    url = f"{API}/topics/{opening.pk}/posts/"
    client = api_for(member)
    for body in ["one", "two"]:
        assert client.post(url, {"body": body}, format="json").status_code == 201
    assert_throttled(client.post(url, {"body": "three"}, format="json"))


def test_a_double_submit_is_not_counted_twice(api_for, limits, member, moderator, community):
    limits("post", 1)
    opening = topic(moderator, community)
    url = f"{API}/topics/{opening.pk}/posts/"
    client = api_for(member)
    first = client.post(url, {"body": "same"}, format="json")
    again = client.post(url, {"body": "same"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_web_reply_shows_the_limit_as_a_form_error(
    client_for, limits, member, moderator, community
):
    limits("post", 1)
    opening = topic(moderator, community)
    url = reverse("community:reply", kwargs={"slug": community.slug, "pk": opening.pk})
    client = client_for(member)
    assert client.post(url, {"body": "first"}).status_code == 302
    response = client.post(url, {"body": "second"})
    assert response.status_code == 429
    assert escape(REFUSED) in response.content.decode()


def test_votes_are_limited_but_repeating_a_vote_is_free(api_for, limits, member, bob, community):
    limits("vote", 1)
    first, second = topic(bob, community, title="A"), topic(bob, community, title="B")
    client = api_for(member)
    for _ in range(2):
        url = f"{API}/posts/{first.posts.first().pk}/helpful/"
        assert client.post(url).status_code in (200, 201)
    assert_throttled(client.post(f"{API}/posts/{second.posts.first().pk}/helpful/"))


def test_reports_are_limited(api_for, limits, member, bob, community):
    limits("report", 1)
    posts = [topic(bob, community, title=t).posts.first() for t in ["A", "B"]]
    client = api_for(member)
    data = {"community": community.slug, "target_type": "post", "reason": "spam"}
    assert client.post(f"{API}/reports/", {**data, "target_id": posts[0].pk}).status_code == 201
    assert_throttled(client.post(f"{API}/reports/", {**data, "target_id": posts[1].pk}))


def test_uploads_are_limited(api_for, limits, member):
    limits("upload", 1)
    client = api_for(member)
    url = f"{API}/communities/roasters/photos/"
    ok = client.post(url, {"image": upload(image_bytes()), "caption": "one"}, format="multipart")
    assert ok.status_code == 201, ok.content
    again = client.post(url, {"image": upload(image_bytes()), "caption": "two"}, format="multipart")
    assert_throttled(again)


def test_kudos_are_limited(api_for, limits, member, moderator, community):
    limits("kudos", 1)
    client = api_for(moderator)
    url = f"{API}/communities/{community.slug}/kudos/"
    data = {"username": member.username, "message": "Thanks!"}
    assert client.post(url, data, format="json").status_code == 201
    assert_throttled(client.post(url, {**data, "message": "Again"}, format="json"))


def test_new_members_wait_longer_between_posts(member, moderator, community):
    community.first_day_post_interval_seconds = 120
    community.save()
    opening = topic(moderator, community)
    topics.reply(user=member, topic=opening, body="hello")
    with pytest.raises(core_errors.TooSoon) as refused:
        topics.reply(user=member, topic=opening, body="hello again")
    assert str(refused.value) == gate.POSTING_TOO_SOON.format(wait="2 minutes")
    assert 0 < refused.value.retry_after <= 120
    Membership.objects.filter(user=member).update(joined_at=timezone.now() - timedelta(days=2))
    assert topics.reply(user=member, topic=opening, body="a day later").pk


def test_every_member_keeps_the_community_pace(member, moderator, community):
    community.post_interval_seconds = 30
    community.save()
    Membership.objects.filter(user=member).update(joined_at=timezone.now() - timedelta(days=9))
    opening = topic(moderator, community)
    topics.reply(user=member, topic=opening, body="hello")
    with pytest.raises(core_errors.TooSoon):
        topics.reply(user=member, topic=opening, body="hello again")
