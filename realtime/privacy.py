"""A member's notifications and notification preferences in the data export and on account
deletion (see ``accounts.privacy``; registered from ``RealtimeConfig.ready()``)."""

import json
from collections.abc import Iterator

from django.db.models import TextField
from django.db.models.functions import Cast
from notifications.models import Notification

from accounts.models import DELETED_NAME, User
from accounts.privacy import Attach, Entry, Erasure, Part, listing
from realtime.models import CommunityMute, EmailPreference, ToastPreference


def _notification_preferences(user: User, attach: Attach) -> Iterator[dict]:
    preference = ToastPreference.objects.filter(user=user).values().first()
    if preference:
        preference.pop("id", None)
        preference.pop("user_id", None)
    email = EmailPreference.objects.filter(user=user).values().first()
    if email:
        for key in ("id", "user_id"):
            email.pop(key, None)
    yield {
        "toasts": preference or "defaults (all on)",
        "email": email or "defaults (all on, weekly digest)",
        "muted_communities": list(
            CommunityMute.objects.filter(user=user).values_list("community__slug", flat=True)
        ),
    }


def _rename_in_others_notifications(user: User, *, old_username: str) -> None:
    """Other members' notifications about this member's acts name them: kudos carry the giver,
    replies, mentions and accepted answers the actor."""
    # The library stores ``data`` as JSON text (no key lookups): narrow down by text first.
    notes = (
        Notification.objects.annotate(data_text=Cast("data", TextField()))
        .filter(data_text__contains=old_username)
        .exclude(recipient=user)
    )
    for note in notes.iterator(chunk_size=500):
        data = note.data or {}
        if old_username not in (data.get("giver"), data.get("actor")):
            continue
        note.data = json.loads(json.dumps(note.data).replace(old_username, DELETED_NAME))
        note.description = (note.description or "").replace(old_username, DELETED_NAME)
        note.save(update_fields=["data", "description"])


def _erase(user: User, erasure: Erasure) -> None:
    """The member's own inbox and preferences go; others' inboxes name a "deleted member"."""
    Notification.objects.filter(recipient=user).delete()
    ToastPreference.objects.filter(user=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    CommunityMute.objects.filter(user=user).delete()
    _rename_in_others_notifications(user, old_username=erasure.old_username)


PART = Part(
    name="realtime",
    entries=(
        Entry(
            170,
            "notifications.json",
            "your notifications",
            listing(
                lambda user: Notification.objects.filter(recipient=user).order_by("pk"),
                "verb",
                "description",
                "unread",
                "timestamp",
                "data",
            ),
        ),
        Entry(
            180,
            "notification_preferences.json",
            "which toasts you want and which communities you muted",
            _notification_preferences,
        ),
    ),
    erase=_erase,
    erase_order=40,
)
