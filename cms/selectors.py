"""Read-side queries for CMS pages and the challenge progress partial."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

FINISHERS_SHOWN = 10


def _visible(queryset, user, community_id=None):
    """Members-only challenges are listed for the community's members only."""
    from cms.models import ChallengePage

    public = Q(visibility=ChallengePage.Visibility.PUBLIC)
    if not user.is_authenticated:
        return queryset.filter(public)
    mine = user.memberships.values("community_id")
    return queryset.filter(public | Q(community_id__in=mine))


def challenges_under(index, user):
    from cms.models import ChallengePage

    return _visible(ChallengePage.objects.live().child_of(index), user).order_by("-starts_at")


def announcements(home, limit: int = 5):
    from cms.models import AnnouncementPage

    return AnnouncementPage.objects.live().child_of(home).order_by("-published_on")[:limit]


@dataclass(frozen=True)
class MemberProgress:
    """One member's standing in one challenge, ready for a progress bar."""

    count: int
    goal: int
    completed_at: object = None
    finish_rank: int | None = None

    @property
    def shown(self) -> int:
        return min(self.count, self.goal)

    @property
    def remaining(self) -> int:
        return max(0, self.goal - self.count)

    @property
    def percent(self) -> int:
        return 100 if self.completed_at else min(100, self.count * 100 // self.goal)

    @property
    def done(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class MemberChallenge:
    challenge: object
    progress: MemberProgress
    early: bool = False  # not started yet, open to this member through a level's early access


@dataclass(frozen=True)
class ChallengeBoard:
    joined: int
    finished: int
    finishers: list = field(default_factory=list)
    mine: MemberProgress | None = None
    is_member: bool = False


def challenges_for_member(user, community) -> list[MemberChallenge]:
    """The community's open challenges the member can see, with their progress (one query; one
    more for a member, whose level may open challenges early)."""
    from cms.models import ChallengePage, ChallengeProgress
    from cms.progress import early_hours

    now = timezone.now()
    hours = 0
    if user.is_authenticated:
        hours = early_hours(community_id=community.pk, member_id=user.pk, at=now)
    challenges = ChallengePage.objects.live().filter(
        community_id=community.pk, starts_at__lte=now + timedelta(hours=hours), ends_at__gt=now
    )
    challenges = _visible(challenges, user).order_by("ends_at")
    if not user.is_authenticated:
        return [MemberChallenge(c, MemberProgress(0, c.goal_count)) for c in challenges]
    mine = ChallengeProgress.objects.filter(challenge=OuterRef("pk"), member=user)
    challenges = challenges.annotate(
        my_count=Subquery(mine.values("count")[:1]),
        my_completed_at=Subquery(mine.values("completed_at")[:1]),
        my_rank=Subquery(mine.values("finish_rank")[:1]),
    )
    return [
        MemberChallenge(
            c,
            MemberProgress(c.my_count or 0, c.goal_count, c.my_completed_at, c.my_rank),
            early=c.starts_at > now,
        )
        for c in challenges
    ]


def challenge_board(challenge, *, user) -> ChallengeBoard:
    """How many joined and finished, the first finishers, and the viewer's own progress."""
    from cms.models import ChallengeProgress

    if challenge.pk is None:  # a preview of a challenge that was never saved
        return ChallengeBoard(0, 0, [], MemberProgress(0, challenge.goal_count), True)
    rows = ChallengeProgress.objects.filter(challenge=challenge)
    totals = rows.aggregate(
        joined=Count("pk"), finished=Count("pk", filter=Q(completed_at__isnull=False))
    )
    finishers = list(
        rows.filter(finish_rank__isnull=False)
        .select_related("member")
        .order_by("finish_rank")[:FINISHERS_SHOWN]
    )
    mine, is_member = None, False
    if user.is_authenticated:
        is_member = user.memberships.filter(community_id=challenge._community().pk).exists()
        row = rows.filter(member=user).first()
        mine = MemberProgress(
            row.count if row else 0,
            challenge.goal_count,
            row.completed_at if row else None,
            row.finish_rank if row else None,
        )
    return ChallengeBoard(totals["joined"], totals["finished"], finishers, mine, is_member)
