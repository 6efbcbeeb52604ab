"""Award internals for ``gamification.services``: one ledger row and every aggregate it moves.

Everything here runs inside the caller's transaction and is only called from services.py.
The hot path is a handful of single-statement upserts (``INSERT ... ON CONFLICT``, the same
syntax on SQLite and PostgreSQL), so an award costs a few round trips, not a read-modify-write
per aggregate. The member's ``Score`` row is locked first: awards to one member in one community
are serialised, which makes daily caps, streaks, badge tiers and level-ups race-free, while the
ledger's unique ``key`` makes a racing duplicate a no-op.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import F, Q

from gamification import actions, periods
from gamification import recognitions as rec
from gamification.defaults import STREAK_MILESTONES
from gamification.models import (
    Badge,
    BadgeAward,
    DailyActionTotal,
    Level,
    Score,
    Tier,
)

CAP_REASON = "Daily cap reached for this action"


@dataclass
class LockedScore:
    id: int
    lifetime: int
    current_streak: int
    longest_streak: int
    last_active_day: date | None
    public: bool


@dataclass(frozen=True)
class Applied:
    entry_id: int
    count: int


@dataclass(frozen=True)
class Entry:
    """What to append to the ledger."""

    action: str
    points: int
    key: str
    source_type_id: int | None = None
    source_id: int | None = None
    actor_id: int | None = None
    reverses_id: int | None = None
    reason: str = ""


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _ts(at: datetime):
    return connection.ops.adapt_datetimefield_value(at)


def _day(value: date):
    return connection.ops.adapt_datefield_value(value)


def lock_score(*, community_id: int, member_id: int, at: datetime) -> LockedScore:
    """Create the member's score row if missing, lock it, and return its current state."""
    sql = (
        "INSERT INTO gamification_score (community_id, member_id, lifetime, balance, reached_at,"
        " current_streak, longest_streak, last_active_day, public)"
        " VALUES (%s, %s, 0, 0, %s, 0, 0, NULL, %s)"
        " ON CONFLICT (community_id, member_id) DO UPDATE SET member_id = excluded.member_id"
        " RETURNING id, lifetime, current_streak, longest_streak, last_active_day, public"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community_id, member_id, _ts(at), True])
        row = cursor.fetchone()
    return LockedScore(row[0], row[1], row[2], row[3], _as_date(row[4]), bool(row[5]))


def points_left_today(*, community_id: int, member_id: int, action: str, day: date, cap: int):
    earned = (
        DailyActionTotal.objects.filter(
            community_id=community_id, member_id=member_id, action=action, day=day
        )
        .values_list("points", flat=True)
        .first()
    ) or 0
    return max(0, cap - earned)


def insert_entry(*, community_id: int, member_id: int, entry: Entry, at: datetime) -> int | None:
    """Append one ledger row; ``None`` when its key is already there (a retry or a race)."""
    sql = (
        "INSERT INTO gamification_ledgerentry (community_id, member_id, action, points,"
        " source_type_id, source_id, actor_id, key, reverses_id, reason, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (key) DO NOTHING RETURNING id"
    )
    params = [
        community_id,
        member_id,
        entry.action,
        entry.points,
        entry.source_type_id,
        entry.source_id,
        entry.actor_id,
        entry.key,
        entry.reverses_id,
        entry.reason,
        _ts(at),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def bump_action_count(*, community_id: int, member_id: int, action: str, delta: int) -> int:
    sql = (
        "INSERT INTO gamification_actioncount AS t (community_id, member_id, action, count)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (community_id, member_id, action)"
        " DO UPDATE SET count = t.count + excluded.count RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community_id, member_id, action, delta])
        return cursor.fetchone()[0]


def bump_periods(
    *, community_id: int, member_id: int, points: int, day: date, at: datetime, public: bool
) -> None:
    """Add points to the member's week and month buckets; a change moves the tie-break time."""
    sql = (
        "INSERT INTO gamification_periodscore AS t"
        " (community_id, member_id, kind, start, points, reached_at, public)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (community_id, member_id, kind, start) DO UPDATE SET"
        " points = t.points + excluded.points, reached_at = excluded.reached_at"
    )
    ts = _ts(at)
    week = [community_id, member_id, "week", _day(periods.week_start(day)), points, ts, public]
    month = [community_id, member_id, "month", _day(periods.month_start(day)), points, ts, public]
    with connection.cursor() as cursor:
        cursor.execute(sql, week + month)


def bump_daily_total(
    *, community_id: int, member_id: int, action: str, day: date, points: int
) -> None:
    sql = (
        "INSERT INTO gamification_dailyactiontotal AS t"
        " (community_id, member_id, action, day, points) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (community_id, member_id, action, day)"
        " DO UPDATE SET points = t.points + excluded.points"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community_id, member_id, action, _day(day), points])


def next_streak(score: LockedScore, day: date) -> tuple[int, int, date]:
    """Current streak, longest streak and last active day after a contribution on ``day``."""
    last = score.last_active_day
    if last is not None and day <= last:
        return score.current_streak, score.longest_streak, last
    current = score.current_streak + 1 if last is not None and (day - last).days == 1 else 1
    return current, max(current, score.longest_streak), day


def apply(
    *,
    community,
    member_id: int,
    entry: Entry,
    count_delta: int,
    at: datetime,
    recognitions: rec.Recognitions,
    daily_cap: int | None = None,
    contribution: bool = False,
) -> Applied | None:
    """Write ``entry`` and move every aggregate with it; ``None`` if its key was already used.

    ``count_delta`` is +1 for an award and -1 for a reversal. A daily cap trims the points
    (to zero if need be) and says so in the row's reason. A ``contribution`` extends the
    member's streak (restores and reversals never do).
    """
    community_id = community.pk
    score = lock_score(community_id=community_id, member_id=member_id, at=at)
    day = periods.local_day(community, at)
    points = entry.points
    reason = entry.reason
    if daily_cap is not None and points > 0:
        left = points_left_today(
            community_id=community_id,
            member_id=member_id,
            action=entry.action,
            day=day,
            cap=daily_cap,
        )
        if left < points:
            points, reason = left, CAP_REASON
    if (points, reason) != (entry.points, entry.reason):
        entry = Entry(**{**entry.__dict__, "points": points, "reason": reason})
    entry_id = insert_entry(community_id=community_id, member_id=member_id, entry=entry, at=at)
    if entry_id is None:
        return None

    contributes = contribution and count_delta > 0
    updates = {}
    if points:
        updates.update(
            lifetime=F("lifetime") + points, balance=F("balance") + points, reached_at=at
        )
    streak = (score.current_streak, score.longest_streak, score.last_active_day)
    if contributes:
        streak = next_streak(score, day)
        updates.update(
            current_streak=streak[0], longest_streak=streak[1], last_active_day=streak[2]
        )
    if updates:
        Score.objects.filter(pk=score.id).update(**updates)
    count = bump_action_count(
        community_id=community_id, member_id=member_id, action=entry.action, delta=count_delta
    )
    if points:
        bump_periods(
            community_id=community_id,
            member_id=member_id,
            points=points,
            day=day,
            at=at,
            public=score.public,
        )
    if daily_cap is not None and points > 0:
        bump_daily_total(
            community_id=community_id,
            member_id=member_id,
            action=entry.action,
            day=day,
            points=points,
        )

    new_lifetime = score.lifetime + points
    if points:
        recognitions.add(
            rec.POINTS_AWARDED,
            user_id=member_id,
            community_id=community_id,
            points=points,
            action=entry.action,
            label=actions.label(entry.action),
            reason=reason,
            lifetime=new_lifetime,
        )
    if count_delta <= 0:
        return Applied(entry_id, count)
    if points > 0:
        _level_up(community_id, member_id, score.lifetime, new_lifetime, recognitions)
    if contributes and streak[0] != score.current_streak and streak[0] in STREAK_MILESTONES:
        recognitions.add(
            rec.STREAK_MILESTONE, user_id=member_id, community_id=community_id, days=streak[0]
        )
    _check_badges(
        community_id=community_id,
        member_id=member_id,
        action=entry.action,
        crossings={
            Badge.Criterion.ACTION_COUNT: (count - 1, count),
            Badge.Criterion.LIFETIME_POINTS: (score.lifetime, new_lifetime),
            Badge.Criterion.STREAK_DAYS: (score.longest_streak, streak[1]),
            Badge.Criterion.CHALLENGES_COMPLETED: (count - 1, count),
        },
        at=at,
        recognitions=recognitions,
    )
    return Applied(entry_id, count)


def _level_up(community_id, member_id, before: int, after: int, recognitions) -> None:
    reached = (
        Level.objects.filter(
            community_id=community_id, min_points__gt=before, min_points__lte=after
        )
        .order_by("-min_points")
        .values_list("name", flat=True)
        .first()
    )
    if reached:
        recognitions.add(rec.LEVEL_UP, user_id=member_id, community_id=community_id, level=reached)


def _check_badges(
    *, community_id, member_id, action, crossings, at, recognitions
) -> list[BadgeAward]:
    """Award every badge tier whose threshold this award crossed (each tier once)."""
    relevant = Q(criterion=Badge.Criterion.ACTION_COUNT, action=action)
    lifetime_before, lifetime_after = crossings[Badge.Criterion.LIFETIME_POINTS]
    if lifetime_after > lifetime_before:
        relevant |= Q(criterion=Badge.Criterion.LIFETIME_POINTS)
    streak_before, streak_after = crossings[Badge.Criterion.STREAK_DAYS]
    if streak_after > streak_before:
        relevant |= Q(criterion=Badge.Criterion.STREAK_DAYS)
    if action == actions.CHALLENGE_COMPLETED:
        relevant |= Q(criterion=Badge.Criterion.CHALLENGES_COMPLETED)
    earned = []
    for badge in Badge.objects.filter(relevant, community_id=community_id):
        before, after = crossings[badge.criterion]
        for tier, threshold in zip(Tier, badge.thresholds, strict=False):
            if before < threshold <= after:
                earned.append((badge, tier))
    return [award_tier(badge, member_id, tier, at, recognitions)[0] for badge, tier in earned]


def award_tier(
    badge: Badge,
    member_id: int,
    tier: Tier,
    at: datetime,
    recognitions: rec.Recognitions,
    *,
    granted_by_id: int | None = None,
    reason: str = "",
) -> tuple[BadgeAward, bool]:
    award, created = BadgeAward.objects.get_or_create(
        badge=badge,
        member_id=member_id,
        tier=tier,
        revoked_at__isnull=True,
        defaults={
            "community_id": badge.community_id,
            "created_at": at,
            "granted_by_id": granted_by_id,
            "reason": reason,
        },
    )
    if created:
        recognitions.add(
            rec.BADGE_EARNED,
            user_id=member_id,
            community_id=badge.community_id,
            badge=badge.slug,
            name=badge.name,
            icon=badge.icon,
            tier=Tier(tier).label if not badge.is_manual else "",
            reason=reason,
        )
    return award, created
