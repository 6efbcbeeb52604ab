"""The engine's tables.

The ledger is the source of truth. ``Score``, ``ActionCount``, ``PeriodScore`` and
``DailyActionTotal`` are aggregates kept in step with it inside the award's transaction and
rebuildable from it (``manage.py rebuild_scores``). Rules, levels, privileges and badges are
per-community configuration; ``setup.ensure_defaults`` creates a sensible set.
"""

from gamification.models.badges import Badge, BadgeAward, Kudos, Tier
from gamification.models.ledger import (
    ActionCount,
    DailyActionTotal,
    ExpiryNotice,
    LedgerEntry,
    PeriodScore,
    Score,
)
from gamification.models.referrals import FirstJoin, InviteCode, Referral
from gamification.models.rules import (
    EXPIRY_NOTICE,
    MAX_EARLY_ACCESS_HOURS,
    MAX_EXPIRY_MONTHS,
    MAX_PENDING_DAYS,
    PENDING_LONGER_THAN_EXPIRY,
    CommunityGameSettings,
    Level,
    LevelPrivilege,
    PointRule,
    PrivilegeUse,
)

__all__ = [
    "EXPIRY_NOTICE",
    "MAX_EARLY_ACCESS_HOURS",
    "MAX_EXPIRY_MONTHS",
    "MAX_PENDING_DAYS",
    "PENDING_LONGER_THAN_EXPIRY",
    "ActionCount",
    "Badge",
    "BadgeAward",
    "CommunityGameSettings",
    "DailyActionTotal",
    "ExpiryNotice",
    "FirstJoin",
    "InviteCode",
    "Kudos",
    "LedgerEntry",
    "Level",
    "LevelPrivilege",
    "PeriodScore",
    "PointRule",
    "PrivilegeUse",
    "Referral",
    "Score",
    "Tier",
]
