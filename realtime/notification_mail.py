"""Notifications by e-mail, for members who have not seen them on the site.

When a notification of an e-mailable kind is stored, ``schedule`` (run after commit by
``realtime.events``) queues ``realtime.tasks.email_notification`` to run
``EMAIL_NOTIFY_AFTER_SECONDS`` later (at once when 0, or when the backend cannot defer).
The task sends it only if it is still unread, the member has an address and their
``EmailPreference`` allows the kind; the community it is about is not muted.

Each mail is multipart (text and HTML in the community's name and colour) and carries a
one-click unsubscribe: a signed token (``django.core.signing``) naming the member and the
kind, in the footer link and in the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers
(RFC 8058). POSTing it turns that kind off without logging in (``realtime.views.unsubscribe``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from notifications.models import Notification

from core.mail import deliver
from gamification import recognitions as rec
from realtime import event_types
from realtime.models import CommunityMute, EmailPreference
from tenancy.models import Community

logger = logging.getLogger(__name__)

# Notification type -> the EmailPreference field that allows it. The reply, mention and
# accepted-answer types are stored notifications like the others (named here by value).
EMAIL_FIELDS = {
    "reply.received": "replies",
    "mention.received": "mentions",
    "answer.accepted": "answers",
    rec.KUDOS_RECEIVED: "kudos",
    rec.BADGE_EARNED: "badges",
    rec.POINTS_EXPIRING: "expiry",
    event_types.CHALLENGE_ENDING: "reminders",
}
EMAIL_TYPES = frozenset(EMAIL_FIELDS)
UNSUBSCRIBE_SALT = "realtime.unsubscribe"
# "digest" is a valid unsubscribe kind too: it turns the digest off.
DIGEST = "digest"


def schedule(events: list[dict]) -> None:
    """Queue the e-mail task for each stored notification of an e-mailable kind."""
    from realtime import tasks

    delay = settings.EMAIL_NOTIFY_AFTER_SECONDS
    for event in events:
        if event.get("type") not in EMAIL_TYPES or not event.get("id"):
            continue
        task = tasks.email_notification
        if delay > 0 and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        try:
            task.enqueue(event["id"])
        except Exception:
            logger.exception("could not queue the e-mail for notification %s", event["id"])


def preference(user) -> EmailPreference:
    """The member's e-mail choices; an unsaved default if never set."""
    return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, preference field)`` from a token, or None if it is forged or unknown."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in {*EMAIL_FIELDS.values(), DIGEST}:
        return None
    if not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id, kind)
    return settings.SITE_URL + reverse("realtime:unsubscribe", args=[token])


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def community_look(community_id: int | None) -> dict:
    community = Community.objects.filter(pk=community_id).first() if community_id else None
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "community_name": community.name if community else settings.WAGTAIL_SITE_NAME,
        "accent": community.accent_color if community else "#5b4bdb",
    }


def send_notification(notification_id: int) -> bool:
    """E-mail one stored notification if it is still due; return whether it was sent."""
    note = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, unread=True, deleted=False)
        .first()
    )
    if note is None:
        return False
    event = note.data or {}
    user = note.recipient
    field = EMAIL_FIELDS.get(event.get("type"))
    if field is None or not user.email or not user.is_active or user.deleted_at:
        return False
    if not getattr(preference(user), field):
        return False
    community_id = event.get("community_id")
    if community_id and CommunityMute.objects.filter(user=user, community_id=community_id).exists():
        return False
    link = settings.SITE_URL + (event.get("url") or reverse("realtime:inbox"))
    unsubscribe = unsubscribe_url(user.pk, field)
    context = {
        **community_look(community_id),
        "user": user,
        "subject": event.get("title") or event_types.title(event),
        "body": event.get("body") or event_types.body(event),
        "link": link,
        "unsubscribe_url": unsubscribe,
        "settings_url": settings.SITE_URL + reverse("realtime:preferences"),
        "kind": EmailPreference._meta.get_field(field).verbose_name,
    }
    deliver(
        subject=f"{context['subject']} · {context['community_name']}",
        text=render_to_string("realtime/email/notification.txt", context),
        html=render_to_string("realtime/email/notification.html", context),
        to=[user.email],
        headers=unsubscribe_headers(unsubscribe),
    )
    return True


def unsubscribe(token: str) -> bool:
    """Turn off the kind a token names for its member; False for a bad token."""
    found = read_unsubscribe_token(token)
    if found is None:
        return False
    user_id, kind = found
    changes = {"digest": EmailPreference.Digest.OFF} if kind == DIGEST else {kind: False}
    EmailPreference.objects.update_or_create(user_id=user_id, defaults=changes)
    return True
