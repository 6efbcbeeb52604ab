"""A member's progress: level and progress bar, badges with their tiers, streak, recent
recognitions, early access and level flairs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from gamification import actions, periods
from gamification.models import (
    ActionCount,
    Badge,
    BadgeAward,
    Kudos,
    Level,
    Score,
    Tier,
)
from tenancy.models import Community, Membership


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

    ``hours`` is the viewer's own perk (0 without one) and ``source`` says where it comes from
    (a level's name, or ``REWARD_SOURCE`` for an early-access reward in force); ``first_level``
    is the lowest level granting any early access ("" when none does)."""

    hours: int = 0
    source: str = ""
    first_level: str = ""

    @property
    def from_reward(self) -> bool:
        return self.source == REWARD_SOURCE


REWARD_SOURCE = "reward"


def reward_early_hours(community: Community, user, now=None) -> int:
    """Hours of early access an early-access reward still in force gives the member (0: none)."""
    now = now or timezone.now()
    return (
        Membership.objects.filter(
            community=community, user=user, early_access_hours__gt=0, early_access_until__gt=now
        )
        .values_list("early_access_hours", flat=True)
        .first()
        or 0
    )


def early_access(community: Community, user) -> EarlyAccess:
    """The viewer's early-access perk in ``community`` (the better of their level's and a
    reward's), in at most three queries."""
    levels = [level for level in levels_of(community) if level.early_access_hours > 0]
    first = levels[0].name if levels else ""
    if not user.is_authenticated:
        return EarlyAccess(first_level=first)
    best = EarlyAccess(first_level=first)
    if levels:
        lifetime = (
            Score.objects.filter(community=community, member=user)
            .values_list("lifetime", flat=True)
            .first()
        )
        reached = [lv for lv in levels if lifetime is not None and lv.min_points <= lifetime]
        if reached:
            top = max(reached, key=lambda level: (level.early_access_hours, level.min_points))
            best = EarlyAccess(top.early_access_hours, top.name, first)
    bought = reward_early_hours(community, user)
    if bought > best.hours:
        best = EarlyAccess(bought, REWARD_SOURCE, first)
    return best


def level_flair(community: Community, user) -> str:
    """The flair of the member's level ("" without one), whatever flair they chose to show."""
    lifetime = (
        Score.objects.filter(community=community, member=user)
        .values_list("lifetime", flat=True)
        .first()
    )
    return level_progress(levels_of(community), lifetime or 0).flair


def chosen_flair() -> Subquery:
    """The flair a member chose from their flair rewards, for a query over ``Score`` rows."""
    return Subquery(
        Membership.objects.filter(
            community_id=OuterRef("community_id"), user_id=OuterRef("member_id")
        ).values("flair")[:1]
    )


def flairs_for(community: Community, member_ids) -> dict[int, str]:
    """Each member's flair (none: absent): the one they chose from their flair rewards, else
    their level's. Two queries whatever the number of members."""
    levels = levels_of(community)
    rows = (
        Score.objects.filter(community=community, member_id__in=set(member_ids))
        .annotate(chosen=chosen_flair())
        .values_list("member_id", "lifetime", "chosen")
    )
    found = {}
    for member_id, lifetime, chosen in rows:
        flair = chosen or level_progress(levels, lifetime).flair
        if flair:
            found[member_id] = flair
    return found


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
