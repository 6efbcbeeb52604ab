"""Community-wide news from the CMS: a notification row per member, one push to the community.

The stored notifications reach members who are offline; they are written in batches of
``BATCH_SIZE`` by the background task that delivers the news (``cms.tasks``), in its
transaction, never in the editor's request. The live push (the banner on every open page of
the community's members and watchers) goes through ``realtime.events.publish_community_event``
after that transaction commits.
"""

import json
from collections.abc import Iterable
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from notifications.models import Notification

from realtime import events

BATCH_SIZE = 1000


def publish_community_event(
    *,
    community,
    event: dict,
    recipient_ids: Iterable[int],
    verb: str,
    target=None,
    except_user_id: int | None = None,
) -> int:
    """Store ``event`` as a notification for each recipient (every member but
    ``except_user_id``); push it to the community after commit. ``event`` must carry ``type``;
    it must survive JSON (it is checked here)."""
    payload = json.loads(json.dumps({"v": 1, "community_id": community.pk, **event}))
    actor_type = ContentType.objects.get_for_model(community)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    sent = 0
    ids = iter(recipient_ids)
    while batch := list(islice(ids, BATCH_SIZE)):
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
                for user_id in batch
            ]
        )
        sent += len(batch)
    events.publish_community_event(
        community.pk, payload, stored_for_members=True, except_user_id=except_user_id
    )
    return sent
