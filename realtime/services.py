"""Writes for notifications and real-time preferences.

A member only ever touches their own notifications: every query is filtered by recipient, so
someone else's id reads as "not found". After a change, the member's sockets (every open tab)
get the new unread count once the transaction commits.
"""

from django.db import transaction
from notifications.models import Notification

from realtime import events
from realtime.models import CommunityMute, EmailPreference, ToastPreference
from tenancy.models import Community

NOTIFICATION_NOT_FOUND = "That notification does not exist or is not yours."
NOT_YOUR_COMMUNITY = "You can only mute communities you belong to."


class NotificationError(Exception):
    pass


def mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the member's notifications read (already read: nothing changes)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(recipient=user, deleted=False, pk=notification_id)
            .first()
        )
        if notification is None:
            raise NotificationError(NOTIFICATION_NOT_FOUND)
        if notification.unread:
            notification.unread = False
            notification.save(update_fields=["unread"])
            transaction.on_commit(lambda: events.push_unread_count(user.pk), robust=True)
    return notification


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the member read; return how many changed."""
    with transaction.atomic():
        changed = Notification.objects.filter(recipient=user, unread=True).update(unread=False)
        if changed:
            transaction.on_commit(lambda: events.push_unread_count(user.pk), robust=True)
    return changed


def update_toast_preference(*, user, choices: dict[str, bool]) -> ToastPreference:
    """Save which recognitions pop a toast; ``choices`` maps ToastPreference fields to on/off."""
    with transaction.atomic():
        preference, _ = ToastPreference.objects.update_or_create(user=user, defaults=choices)
    return preference


def update_email_preference(*, user, choices: dict) -> EmailPreference:
    """Save which notifications are e-mailed and the digest (EmailPreference fields)."""
    with transaction.atomic():
        preference, _ = EmailPreference.objects.update_or_create(user=user, defaults=choices)
    return preference


def set_muted_communities(*, user, communities: list[Community]) -> None:
    """Mute exactly these communities (the member must belong to each one)."""
    member_of = set(user.memberships.values_list("community_id", flat=True))
    if any(c.pk not in member_of for c in communities):
        raise NotificationError(NOT_YOUR_COMMUNITY)
    wanted = {c.pk for c in communities}
    with transaction.atomic():
        CommunityMute.objects.filter(user=user).exclude(community_id__in=wanted).delete()
        existing = set(
            CommunityMute.objects.filter(user=user).values_list("community_id", flat=True)
        )
        CommunityMute.objects.bulk_create(
            [CommunityMute(user=user, community_id=pk) for pk in sorted(wanted - existing)],
            ignore_conflicts=True,
        )
