"""The one place that sends real-time events, after commit.

Services collect recognitions (``gamification.recognitions.Recognitions``) and call
``publish_on_commit``. Each recognition is stored at once as a django-notifications-community row in
the caller's transaction (inside a savepoint: a failure there is logged and never undoes the
award), so a member who is offline loses nothing and the pushed event carries the
notification's ``id``. When the transaction commits, the events go to the recipient's sockets
(with the toast decision and the new unread count), the public ones to the community feed, and
the community's leaderboard is marked changed, and the e-mailable kinds get their e-mail task
queued (``realtime.notification_mail``: sent later only if still unread). A failed push is
logged and swallowed (and the callbacks are registered ``robust``): the award is committed and
stays, and the request that made it still succeeds.

Other publishers: ``publish_community_event`` (challenge.published, announcement.published,
the public feed) and ``leaderboard_changed`` (coalesced to one push per window per community).
"""

import json
import logging

from asgiref.sync import async_to_sync
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from notifications.models import Notification

from accounts.models import User
from gamification import recognitions as rec
from gamification.selectors.feed import hidden_from_public
from realtime import coalescing, event_types, groups, layers, notification_mail, selectors, sequence
from realtime.layers import layer as get_channel_layer
from tenancy.models import Community

logger = logging.getLogger(__name__)

LEADERBOARD_WINDOW_SECONDS = 2
HANDLER = "realtime.event"
# A control message (not forwarded to the browser): the member left a community.
MEMBERSHIP_ENDED = "membership.ended"


def publish_on_commit(recognitions) -> None:
    """Store the recognitions as notifications now; push them once the transaction commits."""
    events = [_round_trip(event) for event in recognitions.events]
    if not events:
        return
    stored = _store_notifications(events)
    transaction.on_commit(lambda: publish(stored), robust=True)
    transaction.on_commit(lambda: notification_mail.schedule(stored), robust=True)
    for community_id in {e["community_id"] for e in events if e["type"] == rec.POINTS_AWARDED}:
        leaderboard_changed(community_id)


def publish(events: list[dict]) -> None:
    """Push stored recognitions to their recipients and the public feed (after commit)."""
    recipients = sorted({event["user_id"] for event in events})
    try:
        choices = selectors.toast_choices(recipients)
    except Exception:
        logger.exception("could not read toast preferences; pushing without toasts")
        choices = {}
    for event in events:
        preference, muted = choices.get(event["user_id"], (None, set()))
        toast = bool(choices) and selectors.wants_toast(event, preference, muted)
        payload = {**event, "toast": toast}
        _send(groups.user_group(event["user_id"]), payload)
    _publish_feed(events)
    _push_unread_counts(recipients)


def push_unread_count(user_id: int) -> None:
    """Tell every socket of one member their new unread count (after a mark-read, say)."""
    _push_unread_counts([user_id])


def publish_community_event(
    community_id: int, event: dict, *, stored_for_members: bool = False, except_user_id=None
) -> None:
    """After commit, send community news or a feed item to everyone watching the community.

    ``challenge.published`` and ``announcement.published`` also reach the members' own sockets
    wherever they are on the site (the banner). Expected fields: ``title``, ``url``, optional
    ``summary``. ``stored_for_members``: every member but ``except_user_id`` got a notification
    row for it, so the copy on the members' own sockets says to add one to the bell
    (``bell: 1``, ``except_user_id``) instead of costing an unread count per member.
    """
    payload = _round_trip({**event, "v": event_types.VERSION, "community_id": community_id})

    def send() -> None:
        _send(groups.community_group(community_id), payload)
        if payload["type"] in event_types.COMMUNITY_NEWS_TYPES:
            bell = {"bell": 1, "except_user_id": except_user_id} if stored_for_members else {}
            _send(groups.members_group(community_id), {**payload, **bell})

    transaction.on_commit(send, robust=True)


def membership_ended(*, community: Community, user_id: int) -> None:
    """After commit, cut what a member's open sockets still receive from a community they left.

    Their notification sockets stop getting the community's news; for a private community their
    open community page sockets are closed (new ones are refused by the consumer's check).
    """
    message = {"type": MEMBERSHIP_ENDED, "community_id": community.pk}

    def send() -> None:
        targets = [groups.user_group(user_id)]
        if not community.is_public:
            targets.append(groups.viewer_group(community.pk, user_id))
        for group in targets:
            try:
                async_to_sync(get_channel_layer(layers.alias_for(group)).group_send)(group, message)
            except Exception:
                logger.exception("could not tell %s about a membership that ended", group)

    transaction.on_commit(send, robust=True)


def leaderboard_changed(community_id: int) -> None:
    """After commit, push ``leaderboard.changed``: at most one per window per community."""

    def send() -> None:
        _send(
            groups.community_group(community_id),
            {
                "type": event_types.LEADERBOARD_CHANGED,
                "v": event_types.VERSION,
                "community_id": community_id,
            },
        )

    def gate() -> None:
        try:
            coalescing.throttle(
                f"realtime:leaderboard:{community_id}",
                window=LEADERBOARD_WINDOW_SECONDS,
                send=send,
            )
        except Exception:
            logger.exception("could not push leaderboard.changed for community %s", community_id)

    transaction.on_commit(gate, robust=True)


def _round_trip(event: dict) -> dict:
    """Events travel as JSON: one that cannot fails here, in the service that built it.

    A ``url`` must be a path on this site (it becomes a link): anything else is dropped.
    """
    event = json.loads(json.dumps(event))
    url = event.get("url")
    if url is not None and not (isinstance(url, str) and _is_site_path(url)):
        del event["url"]
    return event


def _is_site_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _store_notifications(events: list[dict]) -> list[dict]:
    """One notification per recognition, in a savepoint; return the events with ids and text."""
    described = [
        {**event, "title": event_types.title(event), "body": event_types.body(event)}
        for event in events
    ]
    try:
        with transaction.atomic():
            user_type = ContentType.objects.get_for_model(User)
            community_type = ContentType.objects.get_for_model(Community)
            updated, new = [], []
            for event in described:
                merged = _collapse_into_unread(event) if event.get("collapse") else None
                (updated if merged else new).append(merged or event)
            rows = Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=event["user_id"],
                        **_actor(event, user_type, community_type),
                        verb=event_types.verb(event),
                        description=event["body"],
                        target_content_type=community_type if event["community_id"] else None,
                        target_object_id=event["community_id"] and str(event["community_id"]),
                        level="success",
                        public=False,
                        data=event,
                    )
                    for event in new
                ]
            )
    except Exception:
        logger.exception("could not store %d notifications", len(events))
        return described
    return updated + [{**event, "id": row.pk} for event, row in zip(new, rows, strict=True)]


def _collapse_into_unread(event: dict) -> dict | None:
    """Fold ``event`` into the recipient's unread item with the same ``collapse`` key, if any.

    Replies to one topic are written under that topic's row lock, so two never race for it.
    """
    row = (
        Notification.objects.select_for_update()
        .filter(
            recipient_id=event["user_id"],
            unread=True,
            deleted=False,
            data__collapse=event["collapse"],
        )
        .order_by("-id")
        .first()
    )
    if row is None:
        return None
    merged = event_types.collapse(row.data, event)
    row.data, row.description = merged, merged["body"]
    row.save(update_fields=["data", "description"])
    return {**merged, "id": row.pk}


def _actor(event: dict, user_type, community_type) -> dict:
    """Who did it: the acting member (kudos), else the community, else the member themselves."""
    if event.get("actor_id"):
        return {"actor_content_type": user_type, "actor_object_id": str(event["actor_id"])}
    if event["community_id"]:
        return {"actor_content_type": community_type, "actor_object_id": str(event["community_id"])}
    return {"actor_content_type": user_type, "actor_object_id": str(event["user_id"])}


def _opted_out(event: dict) -> bool:
    if event.get("opted_out"):
        return True
    return hidden_from_public(event["user_id"], event["community_id"])


def _publish_feed(events: list[dict]) -> None:
    public = [e for e in events if e["type"] in event_types.PUBLIC_FEED_TYPES]
    try:
        public = [e for e in public if not _opted_out(e)]
        if not public:
            return
        names = dict(
            User.objects.filter(pk__in={e["user_id"] for e in public}).values_list("pk", "username")
        )
    except Exception:
        logger.exception("could not build the public recognition feed")
        return
    for event in public:
        username = names.get(event["user_id"])
        if username is None:
            continue
        _send(
            groups.community_group(event["community_id"]),
            {
                "type": event_types.FEED_RECOGNITION,
                "v": event_types.VERSION,
                "community_id": event["community_id"],
                "kind": event["type"],
                "username": username,
                "text": f"{username} {event_types.verb(event)}",
            },
        )


def _push_unread_counts(user_ids: list[int]) -> None:
    try:
        counts = selectors.unread_counts(user_ids)
    except Exception:
        logger.exception("could not count unread notifications")
        return
    for user_id, count in counts.items():
        _send(
            groups.user_group(user_id),
            {"type": event_types.UNREAD_COUNT, "v": event_types.VERSION, "count": count},
        )


def _send(group: str, payload: dict) -> None:
    """Serialise once per event, not once per socket: consumers forward the text as is.

    Personal groups go through the ``default`` layer, community groups through ``broadcasts``
    (``realtime.layers``), each message to those with the group's next ``seq``
    (``realtime.sequence``).
    """
    alias = layers.alias_for(group)
    try:
        if alias == layers.BROADCASTS:
            payload = {**payload, "seq": sequence.next_seq(group)}
        message = {"type": HANDLER, "text": json.dumps(payload)}
        async_to_sync(get_channel_layer(alias).group_send)(group, message)
    except Exception:
        logger.exception("could not push %s to %s", payload.get("type"), group)
