"""A member's memberships in the data export and on account deletion (see ``accounts.privacy``;
registered from ``TenancyConfig.ready()``)."""

from accounts.models import User
from accounts.privacy import Entry, Erasure, Part, listing
from tenancy.models import Membership


def _erase(user: User, erasure: Erasure) -> None:
    """Every membership ends (after gamification took the member off the public boards)."""
    Membership.objects.filter(user=user).delete()


PART = Part(
    name="tenancy",
    entries=(
        Entry(
            30,
            "memberships.json",
            "the communities you belong to, your role and when you joined",
            listing(
                lambda user: Membership.objects.filter(user=user),
                "community__slug",
                "role",
                "joined_at",
            ),
        ),
    ),
    erase=_erase,
    erase_order=30,
)
