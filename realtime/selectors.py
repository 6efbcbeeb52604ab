"""Read-side queries for notifications and real-time preferences."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from notifications.models import Notification

from realtime.event_types import RECOGNITION_TOAST_FIELDS
from realtime.models import CommunityMute, ToastPreference
from tenancy.access import readable_communities
from tenancy.models import Community, Membership

CATCH_UP_PAGE = 100


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, unread=True, deleted=False).count()


def latest_notification_id(user) -> int:
    """The member's newest notification id (0 if none): the client's catch-up bookmark."""
    return (
        Notification.objects.filter(recipient=user).order_by("-id").values_list("id", flat=True)
    ).first() or 0


def unread_counts(user_ids) -> dict[int, int]:
    """Unread counts for several members in one query (absent: zero)."""
    rows = (
        Notification.objects.filter(recipient_id__in=list(user_ids), unread=True, deleted=False)
        .values("recipient_id")
        .annotate(count=Count("id"))
    )
    counts = dict.fromkeys(user_ids, 0)
    counts.update({row["recipient_id"]: row["count"] for row in rows})
    return counts


def inbox(user) -> QuerySet[Notification]:
    """A member's notifications, newest first (the inbox page paginates it)."""
    return Notification.objects.filter(recipient=user, deleted=False).order_by("-id")


def unread_after(user, *, after_id: int, limit: int = CATCH_UP_PAGE) -> tuple[list, bool]:
    """One page of what a reconnect missed: up to ``limit`` unread notifications newer than
    ``after_id``, oldest first (by id: stable while new ones arrive), and whether more follow.
    The client pages on with ``after`` = the last id of the page."""
    rows = list(
        Notification.objects.filter(
            recipient=user, unread=True, deleted=False, id__gt=after_id
        ).order_by("id")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def toast_preference(user) -> ToastPreference:
    """The member's toast choices; an unsaved default (everything on) if never set."""
    return ToastPreference.objects.filter(user=user).first() or ToastPreference(user=user)


def muted_community_ids(user) -> set[int]:
    return set(CommunityMute.objects.filter(user=user).values_list("community_id", flat=True))


def muted_among(user_ids, community_id: int) -> set[int]:
    """Which of these members muted the community (reply and mention notifications skip them)."""
    return set(
        CommunityMute.objects.filter(
            user_id__in=list(user_ids), community_id=community_id
        ).values_list("user_id", flat=True)
    )


def news_community_ids(user) -> list[int]:
    """Communities whose news (challenge, announcement) reaches the member anywhere on the site:
    the ones they belong to and have not muted."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(community__mutes__user=user)
        .values_list("community_id", flat=True)
    )


def member_communities(user) -> list[Community]:
    return list(
        Community.objects.filter(memberships__user=user).order_by("name").only("id", "name")
    )


def toast_choices(user_ids) -> dict[int, tuple[ToastPreference | None, set[int]]]:
    """For each member: saved toast preferences (or None) and muted community ids, 2 queries."""
    user_ids = list(user_ids)
    prefs = {p.user_id: p for p in ToastPreference.objects.filter(user_id__in=user_ids)}
    mutes: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    for user_id, community_id in CommunityMute.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "community_id"
    ):
        mutes[user_id].add(community_id)
    return {user_id: (prefs.get(user_id), mutes[user_id]) for user_id in user_ids}


def wants_toast(event: dict, preference: ToastPreference | None, muted: set[int]) -> bool:
    """Whether ``event`` pops a toast for a member with these choices (default: yes)."""
    if event.get("community_id") in muted:
        return False
    field = RECOGNITION_TOAST_FIELDS.get(event["type"])
    if preference is None or field is None:
        return True
    return getattr(preference, field)


def visible_community_id(user, slug: str) -> int | None:
    """The id of the community with ``slug`` if ``user`` (maybe None) may view it."""
    return (
        readable_communities(user or AnonymousUser())
        .filter(slug=slug)
        .values_list("pk", flat=True)
        .first()
    )
