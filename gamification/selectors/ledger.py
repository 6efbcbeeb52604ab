"""The points history and the spendable balance's outlook (pending points, expiry)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from gamification import actions, periods
from gamification.models import (
    EXPIRY_NOTICE,
    CommunityGameSettings,
    ExpiryNotice,
    LedgerEntry,
    Score,
)
from tenancy.models import Community


def game_settings(community: Community) -> CommunityGameSettings:
    settings = CommunityGameSettings.objects.filter(community=community).first()
    return settings or CommunityGameSettings(community_id=community.pk)


@dataclass(frozen=True)
class BalanceOutlook:
    """A member's spendable balance and what happens to it next (their own pages only)."""

    lifetime: int = 0
    balance: int = 0
    pending: int = 0
    pending_days: int = 0
    next_release_at: datetime | None = None
    expiry_months: int | None = None
    expires_at: datetime | None = None


def balance_outlook(user, community: Community) -> BalanceOutlook:
    """Balance, pending points and when the next ones are released, and when an idle balance
    expires (if the community expires points). Two to four queries."""
    if not user.is_authenticated:
        return BalanceOutlook()
    score = Score.objects.filter(community=community, member=user).first()
    settings = game_settings(community)
    if score is None:
        return BalanceOutlook(pending_days=settings.pending_days)
    next_release = None
    if score.pending:
        next_release = (
            LedgerEntry.objects.filter(
                community=community,
                member=user,
                action=actions.POINTS_HELD,
                reverses__isnull=True,
                reversed_by__isnull=True,
            )
            .order_by("release_at")
            .values_list("release_at", flat=True)
            .first()
        )
    months = settings.expiry_months
    expires = None
    if months and score.balance > 0 and score.active_at is not None:
        expires = periods.add_months(score.active_at, months)
        if expires - EXPIRY_NOTICE <= timezone.now():
            notice = ExpiryNotice.objects.filter(
                community=community, member=user, active_at=score.active_at
            ).values_list("expires_at", flat=True)
            expires = max([expires, *notice])
    return BalanceOutlook(
        lifetime=score.lifetime,
        balance=score.balance,
        pending=score.pending,
        pending_days=settings.pending_days,
        next_release_at=next_release,
        expiry_months=months,
        expires_at=expires,
    )


def ledger_for(user, community: Community) -> QuerySet[LedgerEntry]:
    """The member's own ledger rows, newest first, with what each reversal cancelled."""
    return (
        LedgerEntry.objects.filter(community=community, member=user)
        .select_related("reverses", "actor")
        .order_by("-created_at", "-pk")
    )


def ledger_label(entry: LedgerEntry) -> str:
    """The reason a member reads next to a ledger row."""
    base = actions.label(entry.action)
    if entry.action == actions.POINTS_HELD:
        return _hold_label(entry)
    if entry.reverses_id:
        return f"Reversed: {base}" + (f" ({entry.reason})" if entry.reason else "")
    if entry.reason:
        return f"{base} ({entry.reason})"
    return base


def _hold_label(entry: LedgerEntry) -> str:
    """A hold reads "Pending until 2 Dec 2026: Wrote a review"; its end reads what ended it."""
    hold = entry.reverses if entry.reverses_id else entry
    what = hold.reason or "points"
    if entry.reverses_id:
        return f"{entry.reason}: {what}" if entry.reason else f"Released: {what}"
    return f"Pending until {hold.release_at:%-d %b %Y}: {what}"


def standing_award_count(*, community, member, action: str, sources) -> int:
    """How many of ``sources`` (a query set of one model) earned ``member`` an ``action``
    award that still stands: positive points, neither a reversal nor reversed."""
    return LedgerEntry.objects.filter(
        community=community,
        member=member,
        action=action,
        source_type=ContentType.objects.get_for_model(sources.model),
        source_id__in=sources.values("pk"),
        points__gt=0,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).count()
