"""Socket behaviour through the real ASGI stack: origin check, session auth, routing."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from notifications.models import Notification
from notifications.signals import notify

from config.asgi import application
from gamification import recognitions as rec
from realtime import consumers, events, protocol, services
from realtime.models import CommunityMute
from tenancy.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(path, user=None, origin=ORIGIN):
    headers = [origin] if origin else []
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def expect_closed(communicator, code):
    output = await communicator.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": code}
    await communicator.disconnect()


def award(user, community, event_type=rec.BADGE_EARNED, **data):
    collected = rec.Recognitions()
    collected.add(event_type, user_id=user.pk, community_id=community.pk, **data)
    with transaction.atomic():
        events.publish_on_commit(collected)


async def receive_until(communicator, event_type):
    while True:
        message = await communicator.receive_json_from(timeout=3)
        if message["type"] == event_type:
            return message


# --- auth and origin -------------------------------------------------------------------------


async def test_anonymous_notification_socket_is_closed_with_4401():
    communicator, connected = await open_socket("/ws/notifications/")
    assert connected
    await expect_closed(communicator, consumers.CLOSE_UNAUTHENTICATED)


async def test_foreign_origin_is_refused(member):
    communicator, connected = await open_socket(
        "/ws/notifications/", member, origin=(b"origin", b"https://evil.example")
    )
    assert not connected
    await communicator.disconnect()


async def test_member_gets_the_bell_count_and_bookmark_on_connect(member, moderator):
    await database_sync_to_async(notify.send)(moderator, recipient=member, verb="said hi")
    latest = await database_sync_to_async(lambda: Notification.objects.latest("id").pk)()
    communicator, connected = await open_socket("/ws/notifications/", member)
    assert connected
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "notifications.unread",
        "v": 1,
        "count": 1,
        "last_id": latest,
    }
    await communicator.disconnect()


# --- events ----------------------------------------------------------------------------------


async def test_a_recognition_reaches_only_its_recipient(member, make_user, community):
    other = await database_sync_to_async(make_user)("bob")
    alice_socket, _ = await open_socket("/ws/notifications/", member)
    bob_socket, _ = await open_socket("/ws/notifications/", other)
    await alice_socket.receive_json_from(timeout=3)
    await bob_socket.receive_json_from(timeout=3)

    await database_sync_to_async(award)(member, community, badge="<script>alert(1)</script>")
    badge = await receive_until(alice_socket, rec.BADGE_EARNED)
    assert badge["title"] == "You earned the <script>alert(1)</script> badge"
    assert badge["toast"] is True and isinstance(badge["id"], int)
    assert (await receive_until(alice_socket, "notifications.unread"))["count"] == 1
    assert await bob_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_challenge_news_reaches_members_sockets_not_others(member, make_user, community):
    outsider = await database_sync_to_async(make_user)("olga")
    muter = await database_sync_to_async(make_user)("mute")
    await Membership.objects.acreate(user=muter, community=community)
    await CommunityMute.objects.acreate(user=muter, community=community)
    member_socket, _ = await open_socket("/ws/notifications/", member)
    outsider_socket, _ = await open_socket("/ws/notifications/", outsider)
    muter_socket, _ = await open_socket("/ws/notifications/", muter)
    for socket in (member_socket, outsider_socket, muter_socket):
        await socket.receive_json_from(timeout=3)

    await database_sync_to_async(events.publish_community_event)(
        community.pk, {"type": "challenge.published", "title": "Brew week", "url": "/c/x/"}
    )
    news = await member_socket.receive_json_from(timeout=3)
    assert news["type"] == "challenge.published" and news["title"] == "Brew week"
    assert await outsider_socket.receive_nothing(timeout=0.3)
    assert await muter_socket.receive_nothing(timeout=0.1)
    for socket in (member_socket, outsider_socket, muter_socket):
        await socket.disconnect()


# --- client messages -------------------------------------------------------------------------


@pytest.fixture
def alice_socket(member):
    async def open_():
        communicator, _ = await open_socket("/ws/notifications/", member)
        await communicator.receive_json_from(timeout=3)
        return communicator

    return open_


async def test_ping_gets_pong(alice_socket):
    socket = await alice_socket()
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong", "v": 1}
    await socket.disconnect()


async def test_mark_read_marks_own_notification_and_pushes_the_count(
    alice_socket, member, moderator
):
    await database_sync_to_async(notify.send)(moderator, recipient=member, verb="one")
    await database_sync_to_async(notify.send)(moderator, recipient=member, verb="two")
    first = await database_sync_to_async(lambda: member.notifications.order_by("id").first())()
    socket = await alice_socket()
    await socket.send_json_to({"type": "mark_read", "id": first.pk})
    assert await socket.receive_json_from(timeout=3) == {
        "type": protocol.MARKED_READ,
        "v": 1,
        "ids": [first.pk],
    }
    assert (await receive_until(socket, "notifications.unread"))["count"] == 1
    await first.arefresh_from_db()
    assert not first.unread
    await socket.disconnect()


async def test_a_member_cannot_mark_someone_elses_notification(alice_socket, make_user, moderator):
    bob = await database_sync_to_async(make_user)("bob")
    await database_sync_to_async(notify.send)(moderator, recipient=bob, verb="private")
    bobs = await Notification.objects.filter(recipient=bob).afirst()
    socket = await alice_socket()
    await socket.send_json_to({"type": "mark_read", "id": bobs.pk})
    assert await socket.receive_json_from(timeout=3) == protocol.error(
        services.NOTIFICATION_NOT_FOUND
    )
    await bobs.arefresh_from_db()
    assert bobs.unread
    await socket.disconnect()


async def test_mark_all_read_touches_only_own_notifications(
    alice_socket, member, make_user, moderator
):
    bob = await database_sync_to_async(make_user)("bob")
    for recipient in (member, member, bob):
        await database_sync_to_async(notify.send)(moderator, recipient=recipient, verb="hi")
    socket = await alice_socket()
    await socket.send_json_to({"type": "mark_all_read"})
    assert (await socket.receive_json_from(timeout=3))["ids"] == "all"
    assert (await receive_until(socket, "notifications.unread"))["count"] == 0
    assert await Notification.objects.filter(recipient=bob, unread=True).acount() == 1
    await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("{not json", protocol.NOT_A_JSON_OBJECT),
        ("[1, 2]", protocol.NOT_A_JSON_OBJECT),
        ('{"type": 7}', protocol.NOT_A_JSON_OBJECT),
        ('{"type": "delete_everything"}', protocol.UNKNOWN_TYPE),
        (json.dumps({"type": "ping", "pad": "x" * 5000}), protocol.FRAME_TOO_LARGE),
        ('{"type": "mark_read"}', protocol.BAD_NOTIFICATION_ID),
        ('{"type": "mark_read", "id": "1"}', protocol.BAD_NOTIFICATION_ID),
        ('{"type": "mark_read", "id": true}', protocol.BAD_NOTIFICATION_ID),
        ('{"type": "mark_read", "id": -4}', protocol.BAD_NOTIFICATION_ID),
        ('{"type": "mark_read", "id": 99999999999999999999999}', protocol.BAD_NOTIFICATION_ID),
        ('{"type": "<script>alert(1)</script>"}', protocol.UNKNOWN_TYPE),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_up(alice_socket, frame, error):
    socket = await alice_socket()
    await socket.send_to(text_data=frame)
    assert await socket.receive_json_from(timeout=3) == protocol.error(error)
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "pong"
    await socket.disconnect()


async def test_binary_frames_get_an_error(alice_socket):
    socket = await alice_socket()
    await socket.send_to(bytes_data=b"\x00\x01")
    assert await socket.receive_json_from(timeout=3) == protocol.error(protocol.BINARY_FRAME)
    await socket.disconnect()


# --- community sockets ----------------------------------------------------------------------


async def test_anyone_may_watch_a_public_community(community):
    socket, connected = await open_socket(f"/ws/communities/{community.slug}/")
    assert connected
    await database_sync_to_async(events.leaderboard_changed)(community.pk)
    assert await socket.receive_json_from(timeout=3) == {
        "type": "leaderboard.changed",
        "v": 1,
        "community_id": community.pk,
        "seq": 1,
    }
    await socket.disconnect()


async def test_private_community_is_for_members_only(make_community, make_user):
    private = await database_sync_to_async(make_community)("secret", is_public=False)
    insider = await database_sync_to_async(make_user)("insider")
    outsider = await database_sync_to_async(make_user)("outsider")
    await Membership.objects.acreate(user=insider, community=private)

    for user in (None, outsider):
        socket, _ = await open_socket("/ws/communities/secret/", user)
        await expect_closed(socket, consumers.CLOSE_NOT_VISIBLE)
    socket, _ = await open_socket("/ws/communities/no-such-place/", insider)
    await expect_closed(socket, consumers.CLOSE_NOT_VISIBLE)

    socket, connected = await open_socket("/ws/communities/secret/", insider)
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "pong"
    await socket.disconnect()


async def test_community_socket_gets_the_public_feed_and_refuses_commands(member, community):
    socket, _ = await open_socket(f"/ws/communities/{community.slug}/")
    await database_sync_to_async(award)(member, community, rec.KUDOS_RECEIVED, message="Thanks")
    feed = await receive_until(socket, "feed.recognition")
    assert feed["text"] == "alice received kudos" and "message" not in feed
    await socket.send_json_to({"type": "mark_all_read"})
    assert await socket.receive_json_from(timeout=3) == protocol.error(protocol.UNKNOWN_TYPE)
    await socket.disconnect()


async def test_trailing_leaderboard_push_runs_on_the_sockets_event_loop(community):
    socket, _ = await open_socket(f"/ws/communities/{community.slug}/")
    await socket.send_json_to({"type": "ping"})
    await socket.receive_json_from(timeout=3)

    def burst():
        for _ in range(10):
            events.leaderboard_changed(community.pk)

    await database_sync_to_async(burst)()
    assert (await socket.receive_json_from(timeout=1))["type"] == "leaderboard.changed"
    assert await socket.receive_nothing(timeout=1.5)
    trailing = await socket.receive_json_from(timeout=2)
    assert trailing["type"] == "leaderboard.changed"
    await socket.disconnect()
