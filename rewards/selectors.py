"""Reads of the rewards app."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rewards.models import Redemption, Reward
from tenancy.models import Community, Membership


def catalog(community: Community) -> QuerySet[Reward]:
    """Active rewards not past their window, cheapest first."""
    now = timezone.now()
    return (
        Reward.objects.filter(community=community, active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .select_related("min_level", "image")
    )


def rewards_unlocked_at(community: Community, level_name: str | None) -> int:
    """How many catalog rewards are reserved to the level named ``level_name``."""
    if not level_name:
        return 0
    return catalog(community).filter(min_level__name=level_name).count()


def reward_in(community: Community, pk: int) -> Reward | None:
    return Reward.objects.filter(community=community, pk=pk).select_related("community").first()


def redemptions_of(user, community: Community) -> QuerySet[Redemption]:
    return Redemption.objects.filter(member=user, community=community).select_related("reward")


def community_redemptions(community: Community, status: str | None = None) -> QuerySet:
    found = Redemption.objects.filter(community=community).select_related("reward", "member")
    return found.filter(status=status) if status else found


@dataclass(frozen=True)
class RedemptionRate:
    members: int
    redeemers: int
    redemptions: int
    points_spent: int

    @property
    def percent(self) -> int:
        return round(100 * self.redeemers / self.members) if self.members else 0


def redemption_rate(community: Community, *, since=None, until=None) -> RedemptionRate:
    """Share of (non-staff) members with at least one redemption that was not cancelled,
    optionally only counting redemptions made in ``[since, until)``."""
    kept = Redemption.objects.filter(community=community).exclude(
        status=Redemption.Status.CANCELLED
    )
    if since is not None:
        kept = kept.filter(created_at__gte=since)
    if until is not None:
        kept = kept.filter(created_at__lt=until)
    totals = kept.aggregate(redeemers=Count("member", distinct=True), redemptions=Count("pk"))
    spent = sum(kept.values_list("cost", flat=True))
    return RedemptionRate(
        members=community.memberships.filter(role=Membership.Role.MEMBER).count(),
        redeemers=totals["redeemers"],
        redemptions=totals["redemptions"],
        points_spent=spent,
    )
