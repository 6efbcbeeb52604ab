"""Engagement figures for the brand managers' dashboard, from set-based queries on the ledger.

Definitions (all days are calendar days in the community's time zone; a window is a range of
whole days, both ends included):

* members: memberships that existed at the end of the window; new members joined inside it;
* a contribution is a ledger award (not a reversal) for one of ``actions.CONTRIBUTIONS`` that was
  not reversed since (hidden content does not count); a member is active in a period when they
  made at least one contribution in it;
* daily active: active members per day, averaged over the window's days; weekly and monthly
  active: members active in the last 7 and 30 days ending on the window's last day;
* engagement rate: active members / members; repeat participation: active members who were
  active on 2 or more days (count and share of the active ones);
* contributions by type: contributions per action per day (per week, Monday first, for windows
  over 31 days);
* challenges: those running at some point of the window; joined = members with progress,
  participation = joined / members, completion = finished / joined;
* top contributors: net points (awards minus reversals) earned in the window;
* most-helpful answers: answers (replies in question topics) by helpful votes cast in the window;
  hidden answers and answers in hidden topics are left out.

Each figure is one aggregate query; nothing loops over members in Python.

Extension point: other apps add their own tables with ``register_section`` (e.g. the rewards
app's "reward redemption rate"); a section is a function ``(window) -> Table`` and is shown on the
dashboard and exported to CSV like the built-in ones. A cell may be a ``Link``: a link on the
dashboard, its text in the CSV.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.urls import reverse
from django.utils import timezone

from community.models import HelpfulVote, Topic
from gamification import actions, periods
from gamification.models import LedgerEntry
from tenancy.models import Community, Membership

TOP_CONTRIBUTORS = 10
TOP_ANSWERS = 10
WEEKLY_BUCKETS_AFTER_DAYS = 31


@dataclass(frozen=True)
class Window:
    community: Community
    first_day: date
    last_day: date

    @property
    def zone(self):
        return periods.community_zone(self.community)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def start(self, day: date | None = None) -> datetime:
        """The first instant of ``day`` (default: the window's first day), local midnight."""
        return datetime.combine(day or self.first_day, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the window."""
        return self.start(self.last_day + timedelta(days=1))

    @property
    def weekly(self) -> bool:
        return self.days > WEEKLY_BUCKETS_AFTER_DAYS


@dataclass(frozen=True)
class Link:
    """A table cell that links somewhere on the site."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def window_ending(community: Community, days: int, last_day: date | None = None) -> Window:
    last_day = last_day or periods.local_day(community, timezone.now())
    return Window(community, last_day - timedelta(days=days - 1), last_day)


def _ledger(window: Window, first: datetime | None = None):
    return LedgerEntry.objects.filter(
        community=window.community,
        created_at__gte=first or window.start(),
        created_at__lt=window.end,
    )


def contributions(window: Window, first: datetime | None = None):
    """Standing contributions in the window (or from ``first`` to the window's end)."""
    return _ledger(window, first).filter(
        action__in=actions.CONTRIBUTIONS, reverses__isnull=True, reversed_by__isnull=True
    )


def _day(window: Window):
    return TruncDate("created_at", tzinfo=window.zone)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Summary:
    members: int
    new_members: int
    active: int
    daily_active: float
    weekly_active: int
    monthly_active: int
    engagement_rate: float
    repeat_members: int
    repeat_rate: float
    contributions: int


def summary(window: Window) -> Summary:
    members = Membership.objects.filter(community=window.community, joined_at__lt=window.end)
    member_counts = members.aggregate(
        total=Count("pk"), new=Count("pk", filter=Q(joined_at__gte=window.start()))
    )
    in_window = contributions(window)
    totals = in_window.aggregate(active=Count("member", distinct=True), rows=Count("pk"))
    member_days = in_window.annotate(day=_day(window)).values("member_id", "day").distinct().count()
    repeat = (
        in_window.values("member_id")
        .annotate(days=Count(_day(window), distinct=True))
        .filter(days__gte=2)
        .count()
    )
    last = window.last_day + timedelta(days=1)
    weekly = contributions(window, window.start(last - timedelta(days=7)))
    monthly = contributions(window, window.start(last - timedelta(days=30)))
    return Summary(
        members=member_counts["total"],
        new_members=member_counts["new"],
        active=totals["active"],
        daily_active=round(member_days / window.days, 2),
        weekly_active=weekly.values("member_id").distinct().count(),
        monthly_active=monthly.values("member_id").distinct().count(),
        engagement_rate=_percent(totals["active"], member_counts["total"]),
        repeat_members=repeat,
        repeat_rate=_percent(repeat, totals["active"]),
        contributions=totals["rows"],
    )


def summary_table(window: Window) -> Table:
    s = summary(window)
    return Table(
        "summary",
        "Summary",
        ["Figure", "Value"],
        [
            ["Members", s.members],
            ["New members", s.new_members],
            ["Active members", s.active],
            ["Daily active (average)", s.daily_active],
            ["Weekly active (last 7 days)", s.weekly_active],
            ["Monthly active (last 30 days)", s.monthly_active],
            ["Engagement rate (%)", s.engagement_rate],
            ["Active on 2+ days", s.repeat_members],
            ["Repeat participation (%)", s.repeat_rate],
            ["Contributions", s.contributions],
        ],
    )


def buckets(window: Window) -> list[date]:
    """The days (or week starts) of the window, in order."""
    if window.weekly:
        first = periods.week_start(window.first_day)
        return [first + timedelta(weeks=i) for i in range((window.last_day - first).days // 7 + 1)]
    return [window.first_day + timedelta(days=i) for i in range(window.days)]


def _bucket(window: Window):
    if window.weekly:
        return TruncWeek("created_at", tzinfo=window.zone)
    return _day(window)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def daily_active_table(window: Window) -> Table:
    counts = {
        _as_date(row["bucket"]): row["active"]
        for row in contributions(window)
        .annotate(bucket=_bucket(window))
        .values("bucket")
        .annotate(active=Count("member", distinct=True))
    }
    label = "Week of" if window.weekly else "Day"
    return Table(
        "active",
        "Active members over time",
        [label, "Active members"],
        [[day.isoformat(), counts.get(day, 0)] for day in buckets(window)],
    )


def contributions_table(window: Window) -> Table:
    counts = {}
    for row in (
        contributions(window)
        .annotate(bucket=_bucket(window))
        .values("bucket", "action")
        .annotate(n=Count("pk"))
    ):
        counts[(_as_date(row["bucket"]), row["action"])] = row["n"]
    kinds = [a for a in sorted(actions.CONTRIBUTIONS) if any(k[1] == a for k in counts)]
    label = "Week of" if window.weekly else "Day"
    return Table(
        "contributions",
        "Contributions by type",
        [label, *[actions.label(kind) for kind in kinds], "Total"],
        [
            [
                day.isoformat(),
                *[counts.get((day, kind), 0) for kind in kinds],
                sum(counts.get((day, kind), 0) for kind in kinds),
            ]
            for day in buckets(window)
        ],
    )


def challenges_table(window: Window) -> Table:
    from cms.models import ChallengePage

    members = Membership.objects.filter(
        community=window.community, joined_at__lt=window.end
    ).count()
    rows = (
        ChallengePage.objects.live()
        .filter(community=window.community, starts_at__lt=window.end, ends_at__gt=window.start())
        .annotate(
            joined=Count("progress"),
            finished=Count("progress", filter=Q(progress__completed_at__isnull=False)),
        )
        .order_by("starts_at")
        .values_list("title", "starts_at", "ends_at", "joined", "finished")
    )
    return Table(
        "challenges",
        "Challenges",
        [
            "Challenge",
            "Starts",
            "Ends",
            "Joined",
            "Finished",
            "Participation (%)",
            "Completion (%)",
        ],
        [
            [
                title,
                timezone.localtime(starts, window.zone).date().isoformat(),
                timezone.localtime(ends, window.zone).date().isoformat(),
                joined,
                finished,
                _percent(joined, members),
                _percent(finished, joined),
            ]
            for title, starts, ends, joined, finished in rows
        ],
    )


def top_contributors_table(window: Window) -> Table:
    rows = (
        _ledger(window)
        .values("member__username")
        .annotate(
            points=Sum("points"),
            contributions=Count(
                "pk",
                filter=Q(
                    action__in=actions.CONTRIBUTIONS,
                    reverses__isnull=True,
                    reversed_by__isnull=True,
                ),
            ),
        )
        .filter(points__gt=0)
        .order_by("-points", "member__username")[:TOP_CONTRIBUTORS]
    )
    return Table(
        "top",
        "Top contributors",
        ["Member", "Points", "Contributions"],
        [[r["member__username"], r["points"], r["contributions"]] for r in rows],
    )


def helpful_answers_table(window: Window) -> Table:
    rows = (
        HelpfulVote.objects.filter(
            post__topic__community=window.community,
            post__topic__kind=Topic.Kind.QUESTION,
            post__topic__is_hidden=False,
            post__is_opening=False,
            post__is_hidden=False,
            created_at__gte=window.start(),
            created_at__lt=window.end,
        )
        .values("post_id", "post__topic_id", "post__topic__title", "post__author__username")
        .annotate(votes=Count("pk"))
        .order_by("-votes", "post_id")[:TOP_ANSWERS]
    )
    slug = window.community.slug

    def answer_url(row) -> str:
        topic = reverse("community:topic", kwargs={"slug": slug, "pk": row["post__topic_id"]})
        return f"{topic}#post-{row['post_id']}"

    return Table(
        "helpful",
        "Most-helpful answers",
        ["Question", "Answer by", "Helpful votes", "Answer URL"],
        [
            [
                Link(r["post__topic__title"], answer_url(r)),
                r["post__author__username"],
                r["votes"],
                answer_url(r),
            ]
            for r in rows
        ],
    )


SECTIONS: dict[str, Callable[[Window], Table]] = {}


def register_section(key: str, builder: Callable[[Window], Table]) -> None:
    """Add a table to the dashboard (and its CSV export); ``key`` names it in URLs."""
    SECTIONS[key] = builder


for _key, _builder in (
    ("summary", summary_table),
    ("active", daily_active_table),
    ("contributions", contributions_table),
    ("challenges", challenges_table),
    ("top", top_contributors_table),
    ("helpful", helpful_answers_table),
):
    register_section(_key, _builder)
