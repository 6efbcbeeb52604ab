"""What the "Invite friends" page shows."""

from dataclasses import dataclass

from gamification import actions, periods
from gamification.models import (
    PointRule,
    Referral,
)
from gamification.selectors.ledger import game_settings
from tenancy.models import Community


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
