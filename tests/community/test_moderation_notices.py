"""Moderation is not silent: moderators hear of reports, authors hear of hidden and restored
items and can ask for a review, and the log links what it is about."""

import pytest
from django.urls import reverse
from notifications.models import Notification

from community.models import Report
from community.services import moderation, notices, topics
from core import errors
from realtime import event_types
from tests.community.helpers import join, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


def notices_of(user, kind):
    return [n for n in Notification.objects.filter(recipient=user) if n.data["type"] == kind]


def test_a_report_notifies_every_moderator_but_the_reporter(
    member, bob, moderator, manager, community, client_for
):
    post = topic(bob, community).posts.first()
    moderation.report(
        user=member, community=community, target_type="post", target_id=post.pk, reason="Spam"
    )
    for staff in (moderator, manager):
        [notice] = notices_of(staff, event_types.MODERATION_REPORT)
        assert "Spam" in notice.description and "bob" in notice.description
        assert notice.data["url"] == reverse("community:moderation", args=[community.slug])
    assert notices_of(member, event_types.MODERATION_REPORT) == []

    page = client_for(moderator).get(community.get_absolute_url()).content.decode()
    assert "data-open-reports>1<" in page
    assert (
        "data-open-reports"
        not in client_for(member).get(community.get_absolute_url()).content.decode()
    )


def test_hiding_and_restoring_tell_the_author_why(bob, moderator, community):
    reply = topics.reply(user=moderator, topic=topic(bob, community), body="Nice")
    own = topic(bob, community).posts.first()
    moderation.hide(
        user=moderator,
        community=community,
        target_type="post",
        target_id=own.pk,
        reason="Off topic",
    )
    [hidden] = notices_of(bob, event_types.CONTENT_HIDDEN)
    assert hidden.verb == "had your topic hidden by a moderator"
    assert "Off topic" in hidden.description and "ask for a review" in hidden.description
    assert hidden.data["url"] == reverse(
        "community:ask_review", args=[community.slug, "post", own.pk]
    )

    moderation.restore(
        user=moderator, community=community, target_type="post", target_id=own.pk, reason="Fair"
    )
    [restored] = notices_of(bob, event_types.CONTENT_RESTORED)
    assert "Fair" in restored.description
    assert restored.data["url"] == own.get_absolute_url()

    # A moderator hiding their own reply is not told about it.
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=reply.pk, reason="Oops"
    )
    assert notices_of(moderator, event_types.CONTENT_HIDDEN) == []


def test_the_author_asks_for_a_review_and_the_moderators_hear_of_it(
    bob, member, moderator, community, client_for
):
    post = topic(bob, community).posts.first()
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="Ads"
    )
    url = reverse("community:ask_review", args=[community.slug, "post", post.pk])
    client = client_for(bob)
    page = client.get(url)
    assert page.status_code == 200 and "“Ads”" in page.content.decode()

    assert client.post(url, {"reason": "It was a recipe, not an ad"}).status_code == 302
    report = Report.objects.get(target_type="post", target_id=post.pk, status=Report.Status.OPEN)
    assert report.reason.startswith(notices.REVIEW_PREFIX)
    [alert] = notices_of(moderator, event_types.MODERATION_REPORT)
    assert "asks for a review" in alert.description

    again = client.post(url, {"reason": "Please"})
    assert again.status_code == 400 and notices.REVIEW_ALREADY_ASKED in again.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200  # the form asks for a reason

    # Only the author, and only while the item is hidden.
    assert client_for(member).get(url).status_code == 404
    moderation.restore(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="Ok"
    )
    assert client.get(url).status_code == 404
    assert not Report.objects.filter(status=Report.Status.OPEN).exists()


def test_only_the_author_of_a_hidden_item_may_ask(bob, member, moderator, community):
    post = topic(bob, community).posts.first()
    with pytest.raises(errors.Invalid):
        notices.ask_for_review(user=bob, community=community, target=post, reason="Why?")
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="Ads"
    )
    with pytest.raises(errors.NotAllowed):
        notices.ask_for_review(user=member, community=community, target=post, reason="Why?")


def test_the_log_links_each_item(bob, moderator, community, client_for):
    post = topic(bob, community).posts.first()
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=post.pk, reason="Ads"
    )
    page = client_for(moderator).get(reverse("community:moderation", args=[community.slug]))
    assert f'<a href="{post.get_absolute_url()}">post by bob</a>' in page.content.decode()
