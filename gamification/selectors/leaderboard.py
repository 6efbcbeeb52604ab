"""Leaderboards: weekly, monthly, all-time and last week's final board, and a viewer's rank.

Ranks are exact for the top ``EXACT_RANK_LIMIT``; below that a points histogram cached for
``HISTOGRAM_SECONDS`` answers "what is my rank" without walking the index. Staff are never ranked.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery

from gamification import periods
from gamification.models import (
    PeriodScore,
    Score,
)
from gamification.selectors.ledger import game_settings
from gamification.selectors.progress import chosen_flair, level_progress, levels_of
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
    return Membership.objects.filter(community=community).staff().values("user_id")


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
        ranked.annotate(chosen_flair=chosen_flair())
        .order_by(f"-{points}", "reached_at", "member_id")
        .select_related("member")[:limit]
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
            flair=row.chosen_flair or level.flair,
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
