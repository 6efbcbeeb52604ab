"""Read-side queries of the engine. Pages and the API read aggregates here, never the ledger sums.

Every selector runs a fixed number of queries, whatever the size of the community.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gamification import actions, periods
from gamification.models import (
    EXPIRY_NOTICE,
    ActionCount,
    Badge,
    BadgeAward,
    CommunityGameSettings,
    ExpiryNotice,
    Kudos,
    LedgerEntry,
    Level,
    PeriodScore,
    PointRule,
    Referral,
    Score,
    Tier,
)
from tenancy.models import Community, Membership

WEEK, MONTH, ALL, LAST_WEEK = "week", "month", "all", "last-week"
PERIODS = {
    WEEK: "This week",
    MONTH: "This month",
    ALL: "All time",
    LAST_WEEK: "Last week (final)",
}
BOARD_SIZE = 50
EXACT_RANK_LIMIT = 1000
HISTOGRAM_SECONDS = 15
STAFF_ROLES = (Membership.Role.MODERATOR, Membership.Role.BRAND_MANAGER)


def readable_community(user, slug: str) -> Community | None:
    """The community if ``user`` may read it (public, or they belong to it).

    Same rule as ``community.selectors.visible_communities`` without its member count, which
    would count every membership of a large community on each leaderboard request.
    """
    visible = Q(is_public=True)
    if user.is_authenticated:
        visible |= Q(id__in=Membership.objects.filter(user=user).values("community_id"))
    return Community.objects.filter(visible, slug=slug).first()


# --- Levels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelProgress:
    name: str
    next_name: str | None
    points: int
    points_to_next: int | None
    percent: int
    flair: str = ""
    next_flair: str = ""
    next_early_hours: int = 0


def levels_of(community: Community) -> list[Level]:
    return list(Level.objects.filter(community=community).order_by("min_points"))


def level_progress(levels: list[Level], lifetime: int) -> LevelProgress:
    """Where ``lifetime`` points sit on the community's ladder of levels."""
    current = None
    following = None
    for level in levels:
        if level.min_points <= lifetime:
            current = level
        elif following is None:
            following = level
    name = current.name if current else "Newcomer"
    flair = next(
        (lv.flair for lv in reversed(levels) if lv.flair and lv.min_points <= lifetime), ""
    )
    if following is None:
        return LevelProgress(name, None, lifetime, None, 100, flair)
    floor = current.min_points if current else 0
    span = max(1, following.min_points - floor)
    percent = max(0, min(100, (lifetime - floor) * 100 // span))
    to_next = following.min_points - lifetime
    return LevelProgress(
        name,
        following.name,
        lifetime,
        to_next,
        percent,
        flair,
        following.flair,
        following.early_access_hours,
    )


@dataclass(frozen=True)
class EarlyAccess:
    """A viewer's early access to a community's new challenges.

    ``hours`` and ``level`` are the viewer's own perk (0 and "" without one); ``first_level`` is
    the lowest level granting any early access ("" when none does)."""

    hours: int = 0
    level: str = ""
    first_level: str = ""


def early_access(community: Community, user) -> EarlyAccess:
    """The viewer's early-access perk in ``community``, in at most two queries."""
    levels = [level for level in levels_of(community) if level.early_access_hours > 0]
    if not levels:
        return EarlyAccess()
    first = levels[0].name
    if not user.is_authenticated:
        return EarlyAccess(first_level=first)
    lifetime = (
        Score.objects.filter(community=community, member=user)
        .values_list("lifetime", flat=True)
        .first()
    )
    reached = [level for level in levels if lifetime is not None and level.min_points <= lifetime]
    if not reached:
        return EarlyAccess(first_level=first)
    best = max(reached, key=lambda level: (level.early_access_hours, level.min_points))
    return EarlyAccess(best.early_access_hours, best.name, first)


def flairs_for(community: Community, member_ids) -> dict[int, str]:
    """Each member's level flair (none: absent), in two queries whatever the number of members."""
    levels = levels_of(community)
    if not any(level.flair for level in levels):
        return {}
    lifetimes = Score.objects.filter(community=community, member_id__in=set(member_ids))
    found = {}
    for member_id, lifetime in lifetimes.values_list("member_id", "lifetime"):
        flair = level_progress(levels, lifetime).flair
        if flair:
            found[member_id] = flair
    return found


# --- Leaderboards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    rank: int
    member_id: int
    username: str
    display_name: str
    points: int
    level: str
    is_viewer: bool = False
    flair: str = ""


@dataclass(frozen=True)
class ViewerStanding:
    rank: int | None
    points: int
    gap_to_next: int | None
    public: bool
    next_username: str | None = None


@dataclass
class Board:
    period: str
    label: str
    starts: date | None
    staff_on_boards: bool = False
    entries: list[BoardEntry] = field(default_factory=list)
    me: ViewerStanding | None = None


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


def period_start(community: Community, period: str) -> date | None:
    today = periods.local_day(community)
    if period == WEEK:
        return periods.week_start(today)
    if period == LAST_WEEK:
        return periods.week_start(today) - timedelta(days=7)
    if period == MONTH:
        return periods.month_start(today)
    return None


def _rows(community: Community, period: str) -> tuple[QuerySet, str]:
    """The aggregate rows a board ranks, and the name of their points column."""
    if period == ALL:
        return Score.objects.filter(community=community), "lifetime"
    kind = PeriodScore.Kind.MONTH if period == MONTH else PeriodScore.Kind.WEEK
    start = period_start(community, period)
    return PeriodScore.objects.filter(community=community, kind=kind, start=start), "points"


def _staff_ids(community: Community) -> QuerySet:
    return Membership.objects.filter(community=community, role__in=STAFF_ROLES).values("user_id")


def leaderboard(
    community: Community, *, period: str, viewer=None, limit: int = BOARD_SIZE
) -> Board:
    """Top ``limit`` of a period plus the viewer's own standing.

    Ordered by points, ties going to whoever reached their total first; only positive totals
    are ranked. Members who opted out and (unless the community says otherwise) staff are left
    off; an opted-out viewer still gets a private rank among the public entries.
    """
    rows, points = _rows(community, period)
    public = rows.filter(public=True, **{f"{points}__gt": 0})
    staff_on_boards = game_settings(community).staff_on_boards
    if not staff_on_boards:
        public = public.exclude(member_id__in=_staff_ids(community))
    ranked = public
    if period != ALL:  # levels come from lifetime points, fetched in the same query
        ranked = public.annotate(
            lifetime=Subquery(
                Score.objects.filter(
                    community_id=OuterRef("community_id"), member_id=OuterRef("member_id")
                ).values("lifetime")[:1]
            )
        )
    top = list(
        ranked.order_by(f"-{points}", "reached_at", "member_id").select_related("member")[:limit]
    )
    if period == ALL:
        lifetimes = {row.member_id: row.lifetime for row in top}
    else:
        lifetimes = {row.member_id: row.lifetime or 0 for row in top}
    levels = levels_of(community)
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    board = Board(period, PERIODS[period], period_start(community, period), staff_on_boards)
    ladder = [(row, level_progress(levels, lifetimes.get(row.member_id, 0))) for row in top]
    board.entries = [
        BoardEntry(
            rank=index,
            member_id=row.member_id,
            username=row.member.username,
            display_name=row.member.display_name,
            points=getattr(row, points),
            level=level.name,
            is_viewer=row.member_id == viewer_id,
            flair=level.flair,
        )
        for index, (row, level) in enumerate(ladder, start=1)
    ]
    if viewer_id is not None:
        cache_key = f"gamification:histogram:{community.pk}:{period}:{board.starts}"
        board.me = _standing(rows, public, points, viewer_id, cache_key)
    return board


def _count_more(more: QuerySet, public: QuerySet, points: str, my_points: int, key: str) -> int:
    """How many ranked members have more points than ``my_points``.

    Counted exactly (a bounded index range scan) near the top of the board. Deeper down, where
    an exact count would walk tens of thousands of index entries on every request, the answer
    comes from a histogram of points (one GROUP BY, cached for ``HISTOGRAM_SECONDS``): ranks
    outside the top ``EXACT_RANK_LIMIT`` may lag a few seconds behind the newest awards.
    """
    near = more[:EXACT_RANK_LIMIT].count()
    if near < EXACT_RANK_LIMIT:
        return near
    histogram = cache.get(key)
    if histogram is None:
        histogram = list(
            public.order_by(f"-{points}")
            .values(points)
            .annotate(n=Count("*"))
            .values_list(points, "n")
        )
        cache.set(key, histogram, HISTOGRAM_SECONDS)
    return max(near, sum(n for value, n in histogram if value > my_points))


def _standing(
    rows: QuerySet, public: QuerySet, points: str, viewer_id: int, cache_key: str
) -> ViewerStanding:
    mine = rows.filter(member_id=viewer_id).values(points, "reached_at", "public").first()
    if mine is None or mine[points] <= 0:
        points_now = mine[points] if mine else 0
        public = mine["public"] if mine else True
        return ViewerStanding(rank=None, points=points_now, gap_to_next=None, public=public)
    my_points, reached = mine[points], mine["reached_at"]
    # Rank = members with more points + members with the same points who got there sooner.
    tied_ahead = public.filter(**{points: my_points, "reached_at__lt": reached})
    more = public.filter(**{f"{points}__gt": my_points})
    count = _count_more(more, public, points, my_points, cache_key) + tied_ahead.count()
    nearest = (
        tied_ahead.order_by("-reached_at").values_list(points, "member__username").first()
        or more.order_by(points, "-reached_at").values_list(points, "member__username").first()
    )
    return ViewerStanding(
        rank=count + 1,
        points=my_points,
        gap_to_next=nearest[0] - my_points if nearest else None,
        public=mine["public"],
        next_username=nearest[1] if nearest else None,
    )


# --- Member progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeProgress:
    badge: Badge
    tier: int | None
    tier_label: str
    value: int
    next_threshold: int | None
    percent: int
    rarity: int
    granted_reason: str = ""

    @property
    def earned(self) -> bool:
        return self.tier is not None


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    active_today: bool


@dataclass(frozen=True)
class Recognition:
    at: datetime
    title: str
    detail: str
    icon: str


@dataclass
class MemberProgress:
    member: object
    community: Community
    level: LevelProgress
    lifetime: int
    balance: int
    pending: int
    streak: Streak
    badges: list[BadgeProgress]
    recent: list[Recognition]
    public: bool

    @property
    def earned_badges(self) -> int:
        return sum(1 for badge in self.badges if badge.earned)


def member_progress(user, community: Community) -> MemberProgress:
    """Everything the profile shows about a member's game: level, points, badges, streak."""
    score = Score.objects.filter(community=community, member=user).first()
    lifetime = score.lifetime if score else 0
    counts = dict(
        ActionCount.objects.filter(community=community, member=user).values_list("action", "count")
    )
    held: dict[int, BadgeAward] = {}
    for award in BadgeAward.objects.filter(
        community=community, member=user, revoked_at__isnull=True
    ).order_by("tier"):
        held[award.badge_id] = award
    holders = dict(
        BadgeAward.objects.filter(community=community, revoked_at__isnull=True)
        .values("badge_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("badge_id", "n")
    )
    members = Membership.objects.filter(community=community).count() or 1
    values = {
        Badge.Criterion.LIFETIME_POINTS: lifetime,
        Badge.Criterion.STREAK_DAYS: score.longest_streak if score else 0,
        Badge.Criterion.CHALLENGES_COMPLETED: counts.get(actions.CHALLENGE_COMPLETED, 0),
    }
    badges = []
    for badge in Badge.objects.filter(community=community).order_by("name"):
        award = held.get(badge.pk)
        tier = award.tier if award else None
        value = (
            counts.get(badge.action, 0)
            if badge.criterion == Badge.Criterion.ACTION_COUNT
            else values.get(badge.criterion, 0)
        )
        thresholds = badge.thresholds
        next_threshold = thresholds[tier or 0] if len(thresholds) > (tier or 0) else None
        if badge.is_manual:
            percent = 100 if award else 0
        elif next_threshold is None:
            percent = 100
        else:
            percent = max(0, min(100, value * 100 // next_threshold))
        badges.append(
            BadgeProgress(
                badge=badge,
                tier=tier,
                tier_label=_tier_label(badge, tier),
                value=value,
                next_threshold=next_threshold,
                percent=percent,
                rarity=round(holders.get(badge.pk, 0) * 100 / members),
                granted_reason=award.reason if award and badge.is_manual else "",
            )
        )
    badges.sort(key=lambda b: (not b.earned, -(b.tier or 0), -b.percent, b.badge.name))
    return MemberProgress(
        member=user,
        community=community,
        level=level_progress(levels_of(community), lifetime),
        lifetime=lifetime,
        balance=score.balance if score else 0,
        pending=score.pending if score else 0,
        streak=_streak(community, score),
        badges=badges,
        recent=_recent(community, user, held),
        public=score.public if score else True,
    )


def _tier_label(badge: Badge, tier: int | None) -> str:
    if tier is None:
        return "Not yet"
    if badge.is_manual:
        return "Awarded"
    return Tier(tier).label


def _streak(community: Community, score: Score | None) -> Streak:
    if score is None or score.last_active_day is None:
        return Streak(0, 0, False)
    today = periods.local_day(community)
    alive = score.last_active_day >= today - timedelta(days=1)
    return Streak(
        current=score.current_streak if alive else 0,
        longest=score.longest_streak,
        active_today=score.last_active_day == today,
    )


def _recent(community, user, held: dict[int, BadgeAward], limit: int = 6) -> list[Recognition]:
    items = [
        Recognition(
            at=award.created_at,
            title=f"{award.badge.name} ({_tier_label(award.badge, award.tier)})",
            detail=award.reason or award.badge.description,
            icon=award.badge.icon,
        )
        for award in BadgeAward.objects.filter(
            community=community, member=user, revoked_at__isnull=True
        )
        .select_related("badge")
        .order_by("-created_at")[:limit]
    ]
    items += [
        Recognition(
            at=kudos.created_at,
            title=f"Kudos from {kudos.giver.username if kudos.giver else 'the team'}",
            detail=kudos.message,
            icon="✦",
        )
        for kudos in Kudos.objects.filter(
            community=community, recipient=user, revoked_at__isnull=True
        )
        .select_related("giver")
        .order_by("-created_at")[:limit]
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]


# --- History, rules, recognition ------------------------------------------------------------


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


@dataclass(frozen=True)
class RuleRow:
    action: str
    label: str
    points: int
    daily_cap: int | None


@dataclass(frozen=True)
class LevelRow:
    name: str
    min_points: int
    limits: list[tuple[str, int]]


@dataclass
class HowPointsWork:
    rules: list[RuleRow]
    levels: list[LevelRow]
    badges: list[Badge]
    staff_on_boards: bool
    pending_days: int
    expiry_months: int | None


def how_points_work(community: Community) -> HowPointsWork:
    settings = game_settings(community)
    rules = [
        RuleRow(rule.action, actions.label(rule.action), rule.points, rule.daily_cap)
        for rule in PointRule.objects.filter(community=community).order_by("-points", "action")
    ]
    levels = [
        LevelRow(
            level.name,
            level.min_points,
            [(p.kind, p.daily_limit) for p in level.privileges.all()],
        )
        for level in Level.objects.filter(community=community)
        .order_by("min_points")
        .prefetch_related("privileges")
    ]
    return HowPointsWork(
        rules=rules,
        levels=levels,
        badges=list(Badge.objects.filter(community=community).order_by("criterion", "name")),
        staff_on_boards=settings.staff_on_boards,
        pending_days=settings.pending_days,
        expiry_months=settings.expiry_months,
    )


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


def manual_badges(community: Community) -> QuerySet[Badge]:
    return Badge.objects.filter(community=community, criterion=Badge.Criterion.MANUAL)


def is_staff(user, community: Community) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, community=community, role__in=STAFF_ROLES).exists()


def community_members(community: Community) -> QuerySet:
    """Members a moderator can pick from (staff excluded), alphabetical."""
    return (
        Membership.objects.filter(community=community, role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__username")
    )


def hidden_from_public(user_id: int, community_id: int) -> bool:
    """True when the member opted out of public boards and the recognition feed."""
    return Score.objects.filter(member_id=user_id, community_id=community_id, public=False).exists()


@dataclass(frozen=True)
class InviteSummary:
    """What the "Invite friends" page shows: the rules, this month's use of the cap, the list."""

    referrer_points: int
    newcomer_points: int
    monthly_cap: int
    paid_this_month: int
    referrals: list[Referral]


def invite_summary(member, community: Community) -> InviteSummary:
    points = dict(
        PointRule.objects.filter(
            community=community,
            action__in=[actions.REFERRAL_COMPLETED, actions.REFERRAL_WELCOME],
        ).values_list("action", "points")
    )
    month = periods.month_start(periods.local_day(community))
    referrals = list(
        Referral.objects.filter(community=community, referrer=member)
        .select_related("newcomer")
        .order_by("-joined_at", "-pk")
    )
    return InviteSummary(
        referrer_points=points.get(
            actions.REFERRAL_COMPLETED, actions.DEFAULT_POINTS[actions.REFERRAL_COMPLETED]
        ),
        newcomer_points=points.get(
            actions.REFERRAL_WELCOME, actions.DEFAULT_POINTS[actions.REFERRAL_WELCOME]
        ),
        monthly_cap=game_settings(community).referral_monthly_cap,
        paid_this_month=sum(1 for r in referrals if r.referrer_paid and r.paid_month == month),
        referrals=referrals,
    )
