"""Sockets after a member leaves: a private community's page socket closes, news stop."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from community.services import membership
from realtime import consumers, event_types, events
from tenancy.models import Membership
from tests.realtime.test_consumers import expect_closed, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def _news(community):
    with transaction.atomic():
        events.publish_community_event(
            community.pk,
            {"type": event_types.CHALLENGE_PUBLISHED, "title": "Latte art", "url": "/x/"},
        )


async def test_leaving_a_private_community_closes_its_page_socket(make_community, make_user):
    private = await database_sync_to_async(make_community)("secret", is_public=False)
    insider = await database_sync_to_async(make_user)("insider")
    await Membership.objects.acreate(user=insider, community=private)
    socket, connected = await open_socket("/ws/communities/secret/", insider)
    assert connected
    await database_sync_to_async(membership.leave_community)(user=insider, community=private)
    await expect_closed(socket, consumers.CLOSE_NOT_VISIBLE)
    again, _ = await open_socket("/ws/communities/secret/", insider)
    await expect_closed(again, consumers.CLOSE_NOT_VISIBLE)


async def test_leaving_a_public_community_keeps_its_page_socket(member, community, make_user):
    socket, connected = await open_socket(f"/ws/communities/{community.slug}/", member)
    assert connected
    await database_sync_to_async(membership.leave_community)(user=member, community=community)
    await database_sync_to_async(_news)(community)
    received = await socket.receive_json_from(timeout=3)
    assert received["type"] == event_types.CHALLENGE_PUBLISHED
    await socket.disconnect()


async def test_news_stop_on_the_notification_socket_after_leaving(member, community, make_user):
    other = await database_sync_to_async(make_user)("other")
    await Membership.objects.acreate(user=other, community=community)
    mine, _ = await open_socket("/ws/notifications/", member)
    theirs, _ = await open_socket("/ws/notifications/", other)
    for socket in (mine, theirs):
        assert (await socket.receive_json_from(timeout=3))["type"] == event_types.UNREAD_COUNT
    await database_sync_to_async(membership.leave_community)(user=member, community=community)
    # Leaving sends nothing to the client; waiting for that lets the consumer handle the
    # membership message (and drop the group) before news arrives, as on a real, slower page.
    assert await mine.receive_nothing(timeout=0.5)
    await database_sync_to_async(_news)(community)
    received = await theirs.receive_json_from(timeout=3)
    assert received["type"] == event_types.CHALLENGE_PUBLISHED
    assert await mine.receive_nothing(timeout=0.5)
    await mine.disconnect()
    await theirs.disconnect()
