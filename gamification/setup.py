"""A community's game configuration: its default rules, levels, privileges and badges."""

from django.db import transaction

from gamification import actions, engine
from gamification.defaults import DEFAULT_BADGES, DEFAULT_DAILY_CAPS, DEFAULT_LEVELS
from gamification.models import Badge, CommunityGameSettings, Level, LevelPrivilege, PointRule


@transaction.atomic
def ensure_defaults(community) -> None:
    """Give a community the default rules, levels, privileges, badges and settings (idempotent).

    Only fills in what is missing: a brand manager's edits are never overwritten.
    """
    CommunityGameSettings.objects.get_or_create(community=community)
    existing_rules = set(
        PointRule.objects.filter(community=community).values_list("action", flat=True)
    )
    PointRule.objects.bulk_create(
        [
            PointRule(
                community=community,
                action=action,
                points=points,
                daily_cap=DEFAULT_DAILY_CAPS.get(action),
            )
            for action, points in actions.DEFAULT_POINTS.items()
            if action not in existing_rules
        ],
        ignore_conflicts=True,
    )
    if not Level.objects.filter(community=community).exists():
        for spec in DEFAULT_LEVELS:
            level, _ = Level.objects.get_or_create(
                community=community, name=spec.name, defaults={"min_points": spec.min_points}
            )
            LevelPrivilege.objects.bulk_create(
                [
                    LevelPrivilege(level=level, kind=kind, daily_limit=limit)
                    for kind, limit in spec.daily_limits.items()
                ],
                ignore_conflicts=True,
            )
    existing_badges = set(Badge.objects.filter(community=community).values_list("slug", flat=True))
    Badge.objects.bulk_create(
        [
            Badge(community=community, **spec.__dict__)
            for spec in DEFAULT_BADGES
            if spec.slug not in existing_badges
        ],
        ignore_conflicts=True,
    )


def rule_for(community, action: str) -> tuple[int, int | None, int]:
    """Points, daily cap and the community's pending days (``engine.rule``)."""
    rule = engine.rule(community.pk, action)
    if rule is None and not PointRule.objects.filter(community=community).exists():
        ensure_defaults(community)
        return rule_for(community, action)
    return rule or (0, None, 0)
