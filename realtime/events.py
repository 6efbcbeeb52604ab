"""The one place that sends real-time events and stores their notifications, after commit.

Services collect events (``gamification.recognitions.Recognitions``) and call
``publish_on_commit``. When the transaction commits, each event becomes a
django-notifications-hq row for its recipient and a message to the recipient's channel-layer
group. A failure there is logged and swallowed: the award is already committed and stays.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime import groups

logger = logging.getLogger(__name__)

VERBS = {
    "points.awarded": "earned points",
    "badge.earned": "earned a badge",
    "level.up": "reached a new level",
    "streak.milestone": "kept a streak going",
    "kudos.received": "received kudos",
    "challenge.progress": "made challenge progress",
    "challenge.completed": "completed a challenge",
}


def publish_on_commit(recognitions) -> None:
    events = [json.loads(json.dumps(event)) for event in recognitions.events]
    if events:
        transaction.on_commit(lambda: publish(events))


def publish(events: list[dict]) -> None:
    for event in events:
        try:
            _deliver(event)
        except Exception:
            logger.exception("could not deliver %s to user %s", event["type"], event["user_id"])


def _deliver(event: dict) -> None:
    from notifications.signals import notify

    from accounts.models import User

    recipient = User.objects.get(pk=event["user_id"])
    notify.send(
        recipient, recipient=recipient, verb=VERBS.get(event["type"], event["type"]), data=event
    )
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(
        groups.user_group(recipient.pk), {"type": "recognition", "payload": event}
    )
