"""A member's redemptions in the data export and on account deletion (see ``accounts.privacy``;
registered from ``RewardsConfig.ready()``)."""

from accounts.models import User
from accounts.privacy import Entry, Erasure, Part, listing
from rewards.models import Redemption


def _erase(user: User, erasure: Erasure) -> None:
    """Redemptions stay (stock, codes and the ledger's spending rows refer to them), without
    the shipping notes, which hold addresses."""
    Redemption.objects.filter(member=user).exclude(shipping_note="").update(shipping_note="")


PART = Part(
    name="rewards",
    entries=(
        Entry(
            160,
            "redemptions.json",
            "rewards you redeemed, with codes and shipping notes",
            listing(
                lambda user: Redemption.objects.filter(member=user).order_by("pk"),
                "community__slug",
                "reward__name",
                "cost",
                "code",
                "shipping_note",
                "status",
                "created_at",
                "handled_at",
            ),
        ),
    ),
    erase=_erase,
    erase_order=50,
)
