"""The publisher folds a reply into the recipient's unread item for the same topic."""

from notifications.models import Notification

from realtime import event_types, events, groups
from realtime.services import mark_read


def reply_from(recognitions, member, community, actor, post_id):
    return recognitions(
        (
            event_types.REPLY_RECEIVED,
            member,
            community,
            {
                "collapse": "reply:7",
                "actor": actor,
                "topic": "Milk",
                "community": "Roasters",
                "url": f"/c/roasters/topics/7/#post-{post_id}",
            },
        )
    )


def test_replies_update_one_unread_item_and_push_it_with_its_count(
    member, community, spy_layer, recognitions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_on_commit(reply_from(recognitions, member, community, "bob", 1))
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_on_commit(reply_from(recognitions, member, community, "cara", 3))

    [stored] = Notification.objects.filter(recipient=member)
    assert stored.verb == event_types.REPLY_RECEIVED
    assert stored.data["count"] == 2
    assert stored.data["url"] == "/c/roasters/topics/7/#post-1"  # the first unread reply
    assert stored.description == "In Roasters, latest from cara."

    pushed = spy_layer.to(groups.user_group(member.pk))
    replies = [p for p in pushed if p["type"] == event_types.REPLY_RECEIVED]
    assert [(p["id"], p.get("count", 1)) for p in replies] == [(stored.pk, 1), (stored.pk, 2)]
    assert replies[-1]["title"] == "2 new replies in \u201cMilk\u201d"
    assert [p["count"] for p in pushed if p["type"] == event_types.UNREAD_COUNT] == [1, 1]


def test_a_read_item_is_never_reopened(member, community, spy_layer, recognitions):
    events.publish_on_commit(reply_from(recognitions, member, community, "bob", 1))
    first = Notification.objects.get(recipient=member)
    mark_read(user=member, notification_id=first.pk)
    events.publish_on_commit(reply_from(recognitions, member, community, "bob", 2))
    assert Notification.objects.filter(recipient=member).count() == 2
    first.refresh_from_db()
    assert not first.unread and first.data.get("count", 1) == 1
