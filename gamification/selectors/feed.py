"""The recognition feed and the members who opted out of public recognition."""

from dataclasses import dataclass
from datetime import datetime

from gamification.models import (
    Badge,
    BadgeAward,
    Kudos,
    Score,
)
from tenancy.models import Community


@dataclass(frozen=True)
class FeedItem:
    kind: str
    pk: int
    at: datetime
    recipient: str
    giver: str
    title: str
    message: str
    points: int
    revoked: bool
    revoke_reason: str


def recognition_feed(community: Community, *, limit: int = 30) -> list[FeedItem]:
    """Kudos and hand-granted badges, newest first, revoked ones marked (kept on record)."""
    kudos = [
        FeedItem(
            "kudos",
            k.pk,
            k.created_at,
            k.recipient.username,
            k.giver.username if k.giver else "",
            f"Kudos and {k.badge_award.badge.icon} {k.badge_award.badge.name}"
            if k.badge_award_id
            else "Kudos",
            k.message,
            k.points,
            k.revoked_at is not None,
            k.revoke_reason,
        )
        for k in Kudos.objects.filter(community=community)
        .select_related("recipient", "giver", "badge_award__badge")
        .order_by("-created_at")[:limit]
    ]
    grants = [
        FeedItem(
            "badge",
            a.pk,
            a.created_at,
            a.member.username,
            a.granted_by.username if a.granted_by else "",
            f"{a.badge.icon} {a.badge.name}",
            a.reason,
            0,
            a.revoked_at is not None,
            a.revoke_reason,
        )
        for a in BadgeAward.objects.filter(
            community=community, badge__criterion=Badge.Criterion.MANUAL, kudos__isnull=True
        )
        .select_related("member", "granted_by", "badge")
        .order_by("-created_at")[:limit]
    ]
    return sorted(kudos + grants, key=lambda item: item.at, reverse=True)[:limit]


def hidden_from_public(user_id: int, community_id: int) -> bool:
    """True when the member opted out of public boards and the recognition feed."""
    return Score.objects.filter(member_id=user_id, community_id=community_id, public=False).exists()
