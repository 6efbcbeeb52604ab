"""Level privileges (from the engine) are enforced where members contribute."""

import pytest
from django.urls import reverse

from community.models import Topic
from community.services import topics
from core import errors
from gamification import privileges

LINKS = "See [one](https://a.example) and [two](https://b.example) and [three](https://c.example)"


def open_topic(user, community, n, body="Hello"):
    return topics.create_topic(
        user=user, community=community, kind="discussion", title=f"Topic {n}", body=body
    )


def test_a_newcomer_hits_the_daily_topic_allowance_with_a_clear_message(member, community):
    for n in range(3):
        open_topic(member, community, n)
    with pytest.raises(errors.NotAllowed) as excinfo:
        open_topic(member, community, 99)
    assert "3 topics a day" in str(excinfo.value)
    assert Topic.objects.filter(author=member).count() == 3


def test_a_double_submit_does_not_spend_the_allowance(member, community):
    for _ in range(5):
        open_topic(member, community, 1)
    open_topic(member, community, 2)
    open_topic(member, community, 3)
    assert Topic.objects.filter(author=member).count() == 3


def test_staff_have_no_allowance(moderator, community):
    for n in range(6):
        open_topic(moderator, community, n)
    assert Topic.objects.filter(author=moderator).count() == 6


def test_links_count_against_the_newcomer_link_allowance(member, community):
    with pytest.raises(errors.NotAllowed) as excinfo:
        for n in range(3):
            open_topic(member, community, n, body=LINKS)
    assert "links" in str(excinfo.value)


def test_the_web_form_shows_the_privilege_message(client_for, member, community):
    client = client_for(member)
    for n in range(3):
        open_topic(member, community, n)
    response = client.post(
        reverse("community:topic_create", args=[community.slug]),
        {"kind": "discussion", "title": "One more", "body": "Please"},
        follow=True,
    )
    assert "3 topics a day" in response.content.decode()


def test_the_api_refuses_with_403_and_the_message(client_for, member, community):
    client = client_for(member)
    for n in range(3):
        open_topic(member, community, n)
    response = client.post(
        f"/api/v1/communities/{community.slug}/topics/",
        {"kind": "discussion", "title": "One more", "body": "Please"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "3 topics a day" in response.json()["message"]


def test_the_privilege_message_names_the_next_level():
    assert "{next_level}" in privileges.LIMIT_REACHED
