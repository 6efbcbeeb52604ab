"""What flair and early-access rewards do once redeemed.

A flair reward sets the member's shown flair in that community at once (``Membership.flair``);
the member may later pick any flair they own, or go back to their level's. An early-access
reward opens new challenges to the member ``early_access_hours`` before everyone else, for
``early_access_days`` after redeeming (``Membership.early_access_hours`` / ``_until``; the
engine's early-access reads take the better of that and their level's perk).

A cancelled redemption takes its perk back: the flair goes if no other redemption still gives
it, and the early-access grant is worked out again from the redemptions that still stand.
"""

from datetime import timedelta

from django.utils import timezone

from core import errors
from rewards.models import Redemption, Reward
from tenancy.models import Membership

NOT_YOUR_FLAIR = "You can only show a flair you have redeemed."


def _standing(member, community):
    """The member's redemptions in ``community`` that were not cancelled."""
    return Redemption.objects.filter(member=member, community=community).exclude(
        status=Redemption.Status.CANCELLED
    )


def owned_flairs(member, community) -> list[str]:
    """The flairs the member redeemed in ``community``, oldest first, without repeats."""
    texts = (
        _standing(member, community)
        .filter(reward__kind=Reward.Kind.PROFILE_FLAIR)
        .order_by("created_at", "pk")
        .values_list("reward__flair", flat=True)
    )
    return list(dict.fromkeys(text for text in texts if text))


def grant(redemption: Redemption) -> None:
    """Give the member the perk of a redemption that just went through (in its transaction)."""
    reward = redemption.reward
    if reward.kind == Reward.Kind.PROFILE_FLAIR and reward.flair:
        Membership.objects.filter(user=redemption.member, community=redemption.community).update(
            flair=reward.flair
        )
    elif reward.kind == Reward.Kind.EARLY_ACCESS:
        _recompute_early_access(redemption.member, redemption.community)


def withdraw(redemption: Redemption) -> None:
    """Take back the perk of a redemption that was cancelled (in its transaction)."""
    reward = redemption.reward
    if reward.kind == Reward.Kind.PROFILE_FLAIR:
        if reward.flair not in owned_flairs(redemption.member, redemption.community):
            Membership.objects.filter(
                user=redemption.member, community=redemption.community, flair=reward.flair
            ).update(flair="")
    elif reward.kind == Reward.Kind.EARLY_ACCESS:
        _recompute_early_access(redemption.member, redemption.community)


def _recompute_early_access(member, community) -> None:
    """The best early-access grant among the member's standing redemptions still in force."""
    now = timezone.now()
    best_hours, until = 0, None
    grants = (
        _standing(member, community)
        .filter(reward__kind=Reward.Kind.EARLY_ACCESS, reward__early_access_hours__gt=0)
        .values_list("created_at", "reward__early_access_hours", "reward__early_access_days")
    )
    for created_at, hours, days in grants:
        ends = created_at + timedelta(days=days)
        if ends <= now:
            continue
        if hours > best_hours or (hours == best_hours and until is not None and ends > until):
            best_hours, until = hours, ends
    Membership.objects.filter(user=member, community=community).update(
        early_access_hours=best_hours, early_access_until=until
    )


def choose_flair(*, member, community, flair: str) -> None:
    """Show ``flair`` (one the member owns) next to their name; an empty one shows their level's."""
    flair = flair.strip()
    if flair and flair not in owned_flairs(member, community):
        raise errors.Invalid(NOT_YOUR_FLAIR, field="flair")
    updated = Membership.objects.filter(user=member, community=community).update(flair=flair)
    if not updated:
        raise errors.NotAllowed("Join the community to choose a flair.")
