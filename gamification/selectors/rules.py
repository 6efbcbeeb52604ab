""" "How points work": a community's point rules, caps and levels as members read them."""

from dataclasses import dataclass

from django.db.models import QuerySet

from gamification import actions
from gamification.models import (
    Badge,
    Level,
    PointRule,
)
from gamification.selectors.ledger import game_settings
from tenancy.models import Community


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


def manual_badges(community: Community) -> QuerySet[Badge]:
    return Badge.objects.filter(community=community, criterion=Badge.Criterion.MANUAL)
