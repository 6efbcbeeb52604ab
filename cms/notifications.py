"""Community-wide news from the CMS: a notification row per member, one push to the community.

Contract with the real-time layer: after the transaction commits, one message goes to the
channel-layer group ``community.<id>``::

    {"type": "community.event", "payload": {"type": "challenge.published", "v": 1, ...}}

The realtime consumer forwards ``community.event`` messages to the sockets watching the
community (the banner). The stored notifications reach members who are offline; they are
written in bulk, in the caller's transaction, so they exist exactly when the news does.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from notifications.models import Notification

from realtime import groups

logger = logging.getLogger(__name__)

HANDLER = "community.event"
BATCH_SIZE = 1000


def publish_community_event(
    *, community, event: dict, recipient_ids: list[int], verb: str, target=None
) -> int:
    """Store ``event`` as a notification for each recipient; push it to the community after
    commit. ``event`` must carry ``type``; it must survive JSON (it is checked here)."""
    payload = json.loads(json.dumps({"v": 1, "community_id": community.pk, **event}))
    actor_type = ContentType.objects.get_for_model(community)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                actor_content_type=actor_type,
                actor_object_id=str(community.pk),
                verb=verb,
                target_content_type=target_type,
                target_object_id=str(target.pk) if target is not None else None,
                data=payload,
            )
            for user_id in recipient_ids
        ],
        batch_size=BATCH_SIZE,
    )
    transaction.on_commit(lambda: _send(community.pk, payload))
    return len(recipient_ids)


def _send(community_id: int, payload: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            groups.community_group(community_id), {"type": HANDLER, "payload": payload}
        )
    except Exception:
        logger.exception("could not push %s to community %s", payload["type"], community_id)
