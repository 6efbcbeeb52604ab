"""Scheduled upkeep of spendable balances: releasing pending points and expiring idle ones.

Both jobs run from cron (``manage.py release_pending_points``, ``manage.py expire_points``;
once an hour or once a day is enough). They write only through the engine (``balance.end_hold``,
``engine.move_balance``) under each member's score lock, one short transaction per member, so
they can run while members are active, be re-run, or run twice at once: every ledger row they
write has a unique key.

Expiry works per quiet spell. ``Score.active_at`` is the member's last earning or spending;
once ``active_at + N months`` is two weeks away, the member gets a notice (one
``ExpiryNotice`` per spell). The balance expires at the notice's ``expires_at`` (never sooner
than two weeks after the notice) unless the member was active in between, which starts a new
spell. Points still pending are left alone; a community's pending window must be shorter than
its expiry window (``CommunityGameSettings.clean``), so they are released before expiry.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from gamification import actions, engine, hooks, periods
from gamification import recognitions as rec
from gamification.balance import end_hold
from gamification.models import (
    EXPIRY_NOTICE,
    CommunityGameSettings,
    ExpiryNotice,
    LedgerEntry,
    Score,
)
from tenancy.models import Community

BATCH = 500
HOLD_RELEASED_REASON = "Now spendable"


@dataclass
class Summary:
    """What a run did: rows written, members touched, points moved."""

    rows: int = 0
    members: int = 0
    points: int = 0

    def add(self, points: int, rows: int = 1) -> None:
        self.rows += rows
        self.members += 1
        self.points += points


# --- Pending points ---------------------------------------------------------------------------


def due_holds(now: datetime):
    """Holds whose time has come and that were neither released nor cancelled (a deleted
    account's points are left as they are: nobody is there to spend them or be told)."""
    return LedgerEntry.objects.filter(
        action=actions.POINTS_HELD,
        reverses__isnull=True,
        reversed_by__isnull=True,
        release_at__lte=now,
        member__deleted_at__isnull=True,
    )


def release_due_points(*, now: datetime | None = None, dry_run: bool = False) -> Summary:
    """Make every due hold's points spendable, telling each member once per run."""
    now = now or timezone.now()
    summary = Summary()
    communities: dict[int, Community] = {}
    after = Q()
    while True:
        pairs = list(
            due_holds(now)
            .filter(after)
            .order_by("community_id", "member_id")
            .values_list("community_id", "member_id")
            .distinct()[:BATCH]
        )
        if not pairs:
            return summary
        for community_id, member_id in pairs:
            holds = list(due_holds(now).filter(community_id=community_id, member_id=member_id))
            if dry_run:
                summary.add(-sum(hold.points for hold in holds), rows=len(holds))
                continue
            if community_id not in communities:
                communities[community_id] = Community.objects.get(pk=community_id)
            released = _release(communities[community_id], member_id, holds, now)
            if released:
                summary.add(released[1], rows=released[0])
        last_community, last_member = pairs[-1]
        after = Q(community_id__gt=last_community) | Q(
            community_id=last_community, member_id__gt=last_member
        )


@transaction.atomic
def _release(community: Community, member_id: int, holds: list[LedgerEntry], now) -> tuple | None:
    moved = [end_hold(hold, at=now, reason=HOLD_RELEASED_REASON) for hold in holds]
    written = [points for points in moved if points]
    if not written:
        return None
    points = sum(written)
    community_id = community.pk
    recognitions = rec.Recognitions()
    recognitions.add(
        rec.POINTS_RELEASED,
        user_id=member_id,
        community_id=community_id,
        points=points,
        community=community.name,
        url=reverse("rewards:catalog", args=[community.slug]),
    )
    hooks.publish_on_commit(recognitions)
    return len(written), points


# --- Expiry -----------------------------------------------------------------------------------


def expiry_settings() -> list[CommunityGameSettings]:
    return list(
        CommunityGameSettings.objects.filter(expiry_months__isnull=False).select_related(
            "community"
        )
    )


def send_expiry_notices(*, now: datetime | None = None, dry_run: bool = False) -> Summary:
    """Warn members whose spendable points expire within two weeks (once per quiet spell)."""
    now = now or timezone.now()
    summary = Summary()
    for game in expiry_settings():
        # A few days of slack: calendar months differ in length; ``_notify`` checks exactly.
        latest = periods.add_months(now + EXPIRY_NOTICE, -game.expiry_months) + timedelta(days=3)
        notified = ExpiryNotice.objects.filter(
            community_id=OuterRef("community_id"),
            member_id=OuterRef("member_id"),
            active_at=OuterRef("active_at"),
        )
        candidates = (
            Score.objects.filter(
                community=game.community,
                balance__gt=0,
                pending=0,
                active_at__isnull=False,
                active_at__lte=latest,
                member__deleted_at__isnull=True,
            )
            .exclude(Exists(notified))
            .values_list("member_id", flat=True)
        )
        for member_id in candidates.iterator(chunk_size=BATCH):
            points = _notify(game, member_id, now, dry_run=dry_run)
            if points:
                summary.add(points)
    return summary


@transaction.atomic
def _notify(game: CommunityGameSettings, member_id: int, now: datetime, *, dry_run: bool) -> int:
    community = game.community
    score = _locked(community.pk, member_id, now)
    if score.balance <= 0 or score.pending or score.active_at is None:
        return 0
    due = periods.add_months(score.active_at, game.expiry_months)
    if due - EXPIRY_NOTICE > now:
        return 0
    if dry_run:
        return score.balance
    notice, created = ExpiryNotice.objects.get_or_create(
        community=community,
        member_id=member_id,
        active_at=score.active_at,
        defaults={
            "points": score.balance,
            "sent_at": now,
            "expires_at": max(due, now + EXPIRY_NOTICE),
        },
    )
    if not created:
        return 0
    recognitions = rec.Recognitions()
    recognitions.add(
        rec.POINTS_EXPIRING,
        user_id=member_id,
        community_id=community.pk,
        points=score.balance,
        expires_at=notice.expires_at.isoformat(),
        months=game.expiry_months,
        community=community.name,
        url=reverse("rewards:catalog", args=[community.slug]),
    )
    hooks.publish_on_commit(recognitions)
    return score.balance


def expire_idle_points(*, now: datetime | None = None, dry_run: bool = False) -> Summary:
    """Expire the balances whose notice ran out while their member stayed quiet."""
    now = now or timezone.now()
    summary = Summary()
    months = {game.community_id: game.expiry_months for game in expiry_settings()}
    still_quiet = Score.objects.filter(
        community_id=OuterRef("community_id"),
        member_id=OuterRef("member_id"),
        active_at=OuterRef("active_at"),
        balance__gt=0,
    )
    notices = (
        ExpiryNotice.objects.filter(community_id__in=months, expires_at__lte=now)
        .filter(Exists(still_quiet))
        .select_related("community")
        .order_by("pk")
    )
    for notice in notices.iterator(chunk_size=BATCH):
        points = _expire(notice, months[notice.community_id], now, dry_run=dry_run)
        if points:
            summary.add(points)
    return summary


@transaction.atomic
def _expire(notice: ExpiryNotice, months: int, now: datetime, *, dry_run: bool) -> int:
    score = _locked(notice.community_id, notice.member_id, now)
    if score.active_at != notice.active_at or score.balance <= 0 or score.pending:
        return 0
    if dry_run:
        return score.balance
    entry = engine.Entry(
        action=actions.POINTS_EXPIRED,
        points=-score.balance,
        key=f"expired:{notice.pk}",
        reason=f"No points earned or spent for {months} months",
    )
    written = engine.move_balance(
        community_id=notice.community_id, member_id=notice.member_id, entry=entry, at=now
    )
    if written is None:
        return 0
    community = notice.community
    recognitions = rec.Recognitions()
    recognitions.add(
        rec.POINTS_EXPIRED,
        user_id=notice.member_id,
        community_id=community.pk,
        points=score.balance,
        months=months,
        community=community.name,
        url=reverse("gamification:how", args=[community.slug]),
    )
    hooks.publish_on_commit(recognitions)
    return score.balance


def _locked(community_id: int, member_id: int, now: datetime) -> Score:
    """Lock the member's score row and read it whole (the engine's lock returns a subset)."""
    engine.lock_score(community_id=community_id, member_id=member_id, at=now)
    return Score.objects.get(community_id=community_id, member_id=member_id)
