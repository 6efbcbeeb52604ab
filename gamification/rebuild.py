"""Rebuild or verify the aggregates from the ledger, set-based (one statement per table).

The GROUP BY queries are written with the ORM so they run on SQLite and PostgreSQL alike
(including week and month boundaries in the community's time zone); rebuilding compiles them
into ``INSERT ... SELECT`` so rows never travel through Python. Streaks are not rebuilt: they
depend on the order of contributions, not on sums, and are kept as they are.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek

from gamification import actions, periods
from gamification.models import ActionCount, LedgerEntry, PeriodScore, Score
from tenancy.models import Community


@dataclass
class Drift:
    table: str
    member_id: int
    what: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return (
            f"{self.table} member={self.member_id} {self.what}: "
            f"stored {self.stored}, ledger says {self.expected}"
        )


@dataclass
class Report:
    community: Community
    drift: list[Drift] = field(default_factory=list)


def _all_rows(community: Community) -> QuerySet:
    return LedgerEntry.objects.filter(community=community).order_by()


def _ledger(community: Community) -> QuerySet:
    """Earning rows only: balance-only rows (spends, holds, expiry) move nothing else."""
    return _all_rows(community).exclude(action__in=actions.BALANCE_ONLY)


def expected_counts(community: Community) -> QuerySet:
    return (
        _ledger(community)
        .values("member_id", "action")
        .annotate(
            n=Sum(
                Case(
                    When(reverses__isnull=False, then=Value(-1)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        )
        .values_list("member_id", "action", "n")
    )


def expected_periods(community: Community, kind: str) -> QuerySet:
    zone = periods.community_zone(community)
    trunc = TruncWeek if kind == PeriodScore.Kind.WEEK else TruncMonth
    start = TruncDate(trunc("created_at", tzinfo=zone), tzinfo=UTC)
    return (
        _ledger(community)
        .exclude(points=0)
        .annotate(start=start)
        .values("member_id", "start")
        .annotate(total=Sum("points"), last=Max("created_at"))
        .values_list("member_id", "start", "total", "last")
    )


# ``{totals}`` is an ORM-compiled, parameterised SELECT; nothing user-supplied is formatted in.
UPDATE_SCORES = (
    "UPDATE gamification_score SET lifetime = agg.total, balance = agg.balance,"
    " pending = agg.pending, active_at = agg.active,"
    " reached_at = COALESCE(agg.last, gamification_score.reached_at)"
    " FROM ({totals}) AS agg"
    " WHERE gamification_score.community_id = %s"
    " AND gamification_score.member_id = agg.member_id"
)


EARNING = ~Q(action__in=actions.BALANCE_ONLY)
HELD = Q(action=actions.POINTS_HELD)
# The member's own earning or spending (see ``engine.apply`` and ``move_balance``).
ACTIVITY = Q(reverses__isnull=True) & ~Q(action__in=actions.NOT_ACTIVITY)


def score_totals(community: Community) -> QuerySet:
    """Per member: lifetime, balance, pending, last points change, last activity."""
    return (
        _all_rows(community)
        .values("member_id")
        .annotate(
            total=Coalesce(Sum("points", filter=EARNING), 0),
            balance=Sum("points"),
            pending=-Coalesce(Sum("points", filter=HELD), 0),
            last=Max("created_at", filter=EARNING & ~Q(points=0)),
            active=Max("created_at", filter=ACTIVITY),
        )
        .values_list("member_id", "total", "balance", "pending", "last", "active")
    )


def _update_scores(community: Community) -> None:
    """One ``UPDATE ... FROM (GROUP BY)`` for the totals, tie-break and activity times."""
    totals = score_totals(community)
    select_sql, params = totals.query.sql_with_params()
    sql = UPDATE_SCORES.format(totals=select_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, community.pk])
    no_ledger = ~Exists(
        LedgerEntry.objects.filter(
            community_id=OuterRef("community_id"), member_id=OuterRef("member_id")
        )
    )
    Score.objects.filter(no_ledger, community=community).update(
        lifetime=0, balance=0, pending=0, active_at=None
    )


def _insert_select(table: str, columns: list[str], queryset: QuerySet, constants: dict) -> None:
    """``INSERT INTO table (...) SELECT ...`` from an ORM query plus constant columns."""
    select_sql, params = queryset.query.sql_with_params()
    names = ", ".join([*columns, *constants])
    placeholders = ", ".join(["%s"] * len(constants))
    sql = f"INSERT INTO {table} ({names}) SELECT q.*, {placeholders} FROM ({select_sql}) q"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), *params])


@transaction.atomic
def rebuild(community: Community) -> dict[str, float]:
    """Recompute every aggregate of ``community`` from its ledger; returns seconds per step."""
    timings = {}
    clock = time.perf_counter()
    missing = (
        _all_rows(community)
        .exclude(member_id__in=Score.objects.filter(community=community).values("member_id"))
        .values("member_id")
        .annotate(last=Max("created_at"))
        .values_list("member_id", "last")
    )
    _insert_select(
        Score._meta.db_table,
        ["member_id", "reached_at"],
        missing,
        {
            "community_id": community.pk,
            "lifetime": 0,
            "balance": 0,
            "pending": 0,
            "public": True,
            "current_streak": 0,
            "longest_streak": 0,
        },
    )
    _update_scores(community)
    timings["scores"], clock = time.perf_counter() - clock, time.perf_counter()
    ActionCount.objects.filter(community=community).delete()
    _insert_select(
        ActionCount._meta.db_table,
        ["member_id", "action", "count"],
        expected_counts(community),
        {"community_id": community.pk},
    )
    timings["action counts"], clock = time.perf_counter() - clock, time.perf_counter()
    PeriodScore.objects.filter(community=community).delete()
    for kind in PeriodScore.Kind.values:
        _insert_select(
            PeriodScore._meta.db_table,
            ["member_id", "start", "points", "reached_at"],
            expected_periods(community, kind),
            {"community_id": community.pk, "kind": kind, "public": True},
        )
    hidden = list(
        Score.objects.filter(community=community, public=False).values_list("member_id", flat=True)
    )
    if hidden:
        PeriodScore.objects.filter(community=community, member_id__in=hidden).update(public=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the boards' query plans
            cursor.execute("ANALYZE gamification_score, gamification_periodscore")
    timings["weeks and months"] = time.perf_counter() - clock
    return timings


def verify(community: Community) -> Report:
    """Compare stored aggregates with what the ledger says; nothing is written."""
    report = Report(community)
    fields = ("lifetime", "balance", "pending", "active_at")
    expected = {
        member_id: (total, balance, pending, _as_moment(active))
        for member_id, total, balance, pending, _last, active in score_totals(community)
    }
    stored = {
        member_id: (*values, _as_moment(active))
        for member_id, *values, active in Score.objects.filter(community=community).values_list(
            "member_id", *fields
        )
    }
    nothing = (0, 0, 0, None)
    for member_id in sorted(set(stored) | set(expected)):
        pairs = zip(stored.get(member_id, nothing), expected.get(member_id, nothing), strict=True)
        for what, (value, should) in zip(fields, pairs, strict=True):
            if value != should:
                report.drift.append(Drift("score", member_id, what, value, should))
    _compare(
        report,
        "action count",
        {
            (m, a): n
            for m, a, n in ActionCount.objects.filter(community=community)
            .exclude(count=0)
            .values_list("member_id", "action", "count")
        },
        {(m, a): n for m, a, n in expected_counts(community) if n},
    )
    for kind in PeriodScore.Kind.values:
        _compare(
            report,
            f"{kind} points",
            {
                (m, _as_date(s)): p
                for m, s, p in PeriodScore.objects.filter(community=community, kind=kind)
                .exclude(points=0)
                .values_list("member_id", "start", "points")
            },
            {(m, _as_date(s)): p for m, s, p, _ in expected_periods(community, kind) if p},
        )
    return report


def _compare(report: Report, table: str, stored: dict, expected: dict) -> None:
    for key in sorted(set(stored) | set(expected), key=str):
        if stored.get(key) != expected.get(key):
            report.drift.append(
                Drift(table, key[0], str(key[1]), stored.get(key), expected.get(key))
            )


def _as_moment(value) -> datetime | None:
    """A timestamp from an aggregate (a string on SQLite) or a column, for comparison."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
