"""Award internals for ``gamification.services``: one ledger row and every aggregate it moves.

Everything here runs inside the caller's transaction and is only called from services.py.
The hot path is a handful of single-statement upserts (``INSERT ... ON CONFLICT``, the same
syntax on SQLite and PostgreSQL), so an award costs a few round trips, not a read-modify-write
per aggregate. The member's ``Score`` row is locked first: awards to one member in one community
are serialised, which makes daily caps, streaks, badge tiers and level-ups race-free, while the
ledger's unique ``key`` makes a racing duplicate a no-op. A path that moves several members'
scores locks them all first with ``lock_scores`` (ascending member id), as the lock order in
``docs/architecture.md`` asks; a member's aggregates are only written under their score lock.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection

from gamification import actions, periods
from gamification import recognitions as rec
from gamification.defaults import STREAK_MILESTONES
from gamification.models import (
    Badge,
    BadgeAward,
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
    balance: int


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
    release_at: datetime | None = None


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
        "INSERT INTO gamification_score (community_id, member_id, lifetime, balance, pending,"
        " reached_at, current_streak, longest_streak, last_active_day, public)"
        " VALUES (%s, %s, 0, 0, 0, %s, 0, 0, NULL, %s)"
        " ON CONFLICT (community_id, member_id) DO UPDATE SET member_id = excluded.member_id"
        " RETURNING id, lifetime, current_streak, longest_streak, last_active_day, public, balance"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community_id, member_id, _ts(at), True])
        row = cursor.fetchone()
    return LockedScore(row[0], row[1], row[2], row[3], _as_date(row[4]), bool(row[5]), row[6])


def lock_scores(*, community_id: int, member_ids, at: datetime) -> None:
    """Lock the score rows of several members of one community in ascending member id (the lock
    order of ``docs/architecture.md``), so that two paths moving the same members never wait on
    each other in a cycle. Locking a row this transaction already holds costs nothing."""
    for member_id in sorted(set(member_ids)):
        lock_score(community_id=community_id, member_id=member_id, at=at)


def _rows(sql: str, params: list) -> list[tuple]:
    """Run a hot-path read as plain SQL: the ORM's query compilation costs more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rule(community_id: int, action: str) -> tuple[int, int | None, int] | None:
    """The action's points and daily cap, and the community's pending days, in one query."""
    found = _rows(
        "SELECT r.points, r.daily_cap, COALESCE(s.pending_days, 0)"
        " FROM gamification_pointrule r LEFT JOIN gamification_communitygamesettings s"
        " ON s.community_id = r.community_id WHERE r.community_id = %s AND r.action = %s",
        [community_id, action],
    )
    return found[0] if found else None


def points_left_today(*, community_id: int, member_id: int, action: str, day: date, cap: int):
    earned = _rows(
        "SELECT points FROM gamification_dailyactiontotal"
        " WHERE community_id = %s AND member_id = %s AND action = %s AND day = %s",
        [community_id, member_id, action, _day(day)],
    )
    return max(0, cap - (earned[0][0] if earned else 0))


def insert_entry(*, community_id: int, member_id: int, entry: Entry, at: datetime) -> int | None:
    """Append one ledger row; ``None`` when its key is already there (a retry or a race)."""
    sql = (
        "INSERT INTO gamification_ledgerentry (community_id, member_id, action, points,"
        " source_type_id, source_id, actor_id, key, reverses_id, reason, created_at, release_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
        _ts(entry.release_at) if entry.release_at else None,
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
    hold_until: datetime | None = None,
) -> Applied | None:
    """Write ``entry`` and move every aggregate with it; ``None`` if its key was already used.

    ``count_delta`` is +1 for an award and -1 for a reversal. A daily cap trims the points
    (to zero if need be) and says so in the row's reason. A ``contribution`` extends the
    member's streak (restores and reversals never do). ``hold_until`` keeps an award's points
    off the spendable balance until then: a ``points.held`` row, released or cancelled later
    (lifetime points, levels and boards count them at once). A reversal never takes the
    balance below zero: what the member already spent is written back as ``points.already_spent``.
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
    active = count_delta > 0 and entry.reverses_id is None
    streak = (score.current_streak, score.longest_streak, score.last_active_day)
    if contributes:
        streak = next_streak(score, day)
    held = points if hold_until is not None and points > 0 and count_delta > 0 else 0
    if held:
        _hold(
            community_id, member_id, entry, entry_id=entry_id, points=held, until=hold_until, at=at
        )
    kept = max(0, -(score.balance + points))
    if kept:
        insert_entry(
            community_id=community_id,
            member_id=member_id,
            entry=Entry(actions.ALREADY_SPENT, kept, f"already-spent:{entry_id}"),
            at=at,
        )
    if points or contributes or active:
        _update_score(
            score,
            points=points,
            balance=points - held + kept,
            pending=held,
            at=at,
            streak=streak,
            active=active,
        )
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
            spendable_from=hold_until.isoformat() if held else None,
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


def hold_key(award_id: int) -> str:
    return f"held:{award_id}"


def _hold(community_id, member_id, award: Entry, *, entry_id: int, points: int, until, at):
    """Append the hold on an award's points; ``_update_score`` moves them to ``pending``."""
    hold = Entry(
        action=actions.POINTS_HELD,
        points=-points,
        key=hold_key(entry_id),
        reason=actions.label(award.action),
        release_at=until,
    )
    insert_entry(community_id=community_id, member_id=member_id, entry=hold, at=at)


def _update_score(
    score: LockedScore,
    *,
    points: int,
    balance: int,
    pending: int,
    at: datetime,
    streak: tuple,
    active: bool,
) -> None:
    """Move the locked score row: lifetime by ``points``, the balance and pending amounts,
    the tie-break time, the streak, and the last activity (never backwards)."""
    current, longest, last_day = streak
    ts = _ts(at)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE gamification_score SET lifetime = lifetime + %s, balance = balance + %s,"
            " pending = pending + %s, reached_at = CASE WHEN %s THEN %s ELSE reached_at END,"
            " current_streak = %s, longest_streak = %s, last_active_day = %s,"
            " active_at = CASE WHEN %s AND (active_at IS NULL OR active_at < %s) THEN %s"
            " ELSE active_at END WHERE id = %s",
            [
                points,
                balance,
                pending,
                points != 0,
                ts,
                current,
                longest,
                _day(last_day) if last_day else None,
                active,
                ts,
                ts,
                score.id,
            ],
        )


def _level_up(community_id, member_id, before: int, after: int, recognitions) -> None:
    reached = _rows(
        "SELECT name FROM gamification_level WHERE community_id = %s"
        " AND min_points > %s AND min_points <= %s ORDER BY min_points DESC LIMIT 1",
        [community_id, before, after],
    )
    if reached:
        recognitions.add(
            rec.LEVEL_UP, user_id=member_id, community_id=community_id, level=reached[0][0]
        )


def _check_badges(
    *, community_id, member_id, action, crossings, at, recognitions
) -> list[BadgeAward]:
    """Award every badge tier whose threshold this award crossed (each tier once)."""
    kinds = [
        criterion
        for criterion, (before, after) in crossings.items()
        if after > before and criterion != Badge.Criterion.ACTION_COUNT
    ]
    if action != actions.CHALLENGE_COMPLETED:
        kinds = [kind for kind in kinds if kind != Badge.Criterion.CHALLENGES_COMPLETED]
    padded = (kinds + ["", "", ""])[:3]  # a fixed statement; "" matches no criterion
    rows = _rows(
        "SELECT id, criterion, bronze, silver, gold FROM gamification_badge"
        " WHERE community_id = %s AND ((criterion = %s AND action = %s)"
        " OR criterion IN (%s, %s, %s))",
        [community_id, Badge.Criterion.ACTION_COUNT, action, *padded],
    )
    earned = []
    for badge_id, criterion, *thresholds in rows:
        before, after = crossings[criterion]
        for tier, threshold in zip(Tier, thresholds, strict=True):
            if threshold is not None and before < threshold <= after:
                earned.append((badge_id, tier))
    badges = Badge.objects.in_bulk({badge_id for badge_id, _ in earned})
    return [
        award_tier(badges[badge_id], member_id, tier, at, recognitions)[0]
        for badge_id, tier in earned
    ]


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


def locked_balance(*, community_id: int, member_id: int, at: datetime) -> tuple[int, int]:
    """Lock the member's score row (creating it if missing); returns (lifetime, balance)."""
    score = lock_score(community_id=community_id, member_id=member_id, at=at)
    return score.lifetime, score.balance


def move_balance(
    *,
    community_id: int,
    member_id: int,
    entry: Entry,
    at: datetime,
    pending_delta: int = 0,
    active: bool = False,
) -> int | None:
    """Append a balance-only row (``actions.BALANCE_ONLY``) and move only the balance (and the
    pending amount, for a hold's release); ``None`` on a used key. ``active`` marks the member's
    own act (a spend), which restarts the expiry clock.

    The caller holds the score lock (``locked_balance``) and has checked the balance; the
    ``score_balance_not_negative`` constraint is the last line of defence.
    """
    entry_id = insert_entry(community_id=community_id, member_id=member_id, entry=entry, at=at)
    if entry_id is not None:
        ts = _ts(at)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE gamification_score SET balance = balance + %s, pending = pending + %s,"
                " active_at = CASE WHEN %s AND (active_at IS NULL OR active_at < %s) THEN %s"
                " ELSE active_at END WHERE community_id = %s AND member_id = %s",
                [entry.points, pending_delta, active, ts, ts, community_id, member_id],
            )
    return entry_id
