"""Watch buttons on the topic page, the watch and member-suggestion API, mention errors."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from community.models import TopicWatch
from community.services import social
from tests.community.helpers import topic
from tests.factories import member_of

API = "/api/v1"


@pytest.fixture
def bob(make_member):
    return make_member("bob")


@pytest.fixture
def started(bob, community):
    return topic(bob, community, title="Cold brew")


def watch_url(community, started):
    return f"/c/{community.slug}/topics/{started.pk}/watch/"


def test_the_topic_page_offers_watch_and_mute_and_they_work_without_js(
    client_for, member, community, started
):
    client = client_for(member)
    page = client.get(started.get_absolute_url()).content.decode()
    assert "Not watching: only mentions of you notify you." in page
    assert 'name="level" value="watching"' in page and 'name="level" value="muted"' in page

    response = client.post(watch_url(community, started), {"level": "watching"}, follow=True)
    assert response.redirect_chain[-1][0] == started.get_absolute_url()
    assert "You are watching this topic" in response.content.decode()
    assert 'value="normal"' in response.content.decode()  # now "Stop watching"
    assert social.watch_level(member, started) == "watching"

    client.post(watch_url(community, started), {"level": "muted"})
    assert social.watch_level(member, started) == "muted"
    assert "Unmute" in client.get(started.get_absolute_url()).content.decode()


def test_the_starter_sees_that_they_are_watching(client_for, bob, started):
    page = client_for(bob).get(started.get_absolute_url()).content.decode()
    assert "Watching: every reply notifies you." in page
    assert "Stop watching" in page


def test_watching_needs_a_csrf_token_and_a_post(member, community, started):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(watch_url(community, started), {"level": "watching"}).status_code == 403
    assert client.get(watch_url(community, started)).status_code == 405
    assert not TopicWatch.objects.filter(user=member).exists()


def test_outsiders_and_bad_levels_get_an_error_not_a_watch(
    client_for, make_user, member, community, started
):
    outsider = make_user("olga")
    response = client_for(outsider).post(
        watch_url(community, started), {"level": "watching"}, follow=True
    )
    assert "You are not a member of this community." in response.content.decode()
    response = client_for(member).post(watch_url(community, started), {"level": "loud"})
    assert response.status_code == 302
    assert not TopicWatch.objects.filter(user__in=[outsider, member]).exists()


def test_the_watch_api(member, started):
    client = APIClient()
    client.force_authenticate(member)
    url = f"{API}/topics/{started.pk}/watch/"
    assert client.get(url).json() == {"level": "normal"}
    assert client.post(url, {"level": "muted"}, format="json").json() == {"level": "muted"}
    assert client.get(url).json() == {"level": "muted"}
    response = client.post(url, {"level": "loud"}, format="json")
    assert response.status_code == 400
    assert "level" in response.json()["errors"]
    assert APIClient().get(url).status_code in (401, 403)


def test_member_suggestions_are_for_members_only_and_limited(
    make_member, make_user, member, community, make_community
):
    for i in range(12):
        make_member(f"al{i:02d}")
    make_member("bert")
    url = f"{API}/communities/{community.slug}/members/?q=AL"
    client = APIClient()
    client.force_authenticate(member)
    names = [r["username"] for r in client.get(url).json()["results"]]
    assert names == ["al00", "al01", "al02", "al03", "al04", "al05", "al06", "al07"]
    assert client.get(url.replace("AL", "@be")).json()["results"][0]["username"] == "bert"
    assert client.get(url.replace("AL", "")).json() == {"results": []}
    assert client.get(url.replace("AL", "x" * 31)).status_code == 400

    outsider = APIClient()
    outsider.force_authenticate(make_user("olga"))
    assert outsider.get(url).status_code == 403
    assert APIClient().get(url).status_code in (401, 403)
    secret = make_community("secret", is_public=False)
    member_of(secret, "sam")
    assert client.get(f"{API}/communities/secret/members/?q=s").status_code == 404


def test_too_many_mentions_is_a_form_error_and_an_api_error(
    client_for, make_member, member, community, started
):
    names = " ".join(f"@{make_member(f'friend{i}').username}" for i in range(4))
    response = client_for(member).post(
        f"/c/{community.slug}/topics/{started.pk}/reply/", {"body": names}
    )
    assert response.status_code == 400
    assert "at most 3 people while you are new here" in response.content.decode()

    client = APIClient()
    client.force_authenticate(member)
    response = client.post(f"{API}/topics/{started.pk}/posts/", {"body": names}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_the_editor_points_the_autocomplete_at_the_community(client_for, member, started):
    page = client_for(member).get(started.get_absolute_url()).content.decode()
    assert f'data-mentions="{API}/communities/{started.community.slug}/members/"' in page
    assert "js/mentions.js" in page
