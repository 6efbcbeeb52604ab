"""A member's orders in the data export and on account deletion (see ``accounts.privacy``;
registered from ``CommerceConfig.ready()``)."""

from accounts.models import User
from accounts.privacy import Entry, Erasure, Part, listing
from commerce.models import Customer, OrderLine


def _erase(user: User, erasure: Erasure) -> None:
    """The shop's orders stay the brand's records; they are no longer linked to the account."""
    Customer.objects.filter(member=user).update(member=None, matched_at=None)


PART = Part(
    name="commerce",
    entries=(
        Entry(
            165,
            "orders.json",
            "orders from the brand's shop matched to you by e-mail, one row per order line",
            listing(
                lambda user: OrderLine.objects.filter(order__customer__member=user).order_by(
                    "order_id", "pk"
                ),
                "order__community__slug",
                "order__external_id",
                "order__status",
                "order__total",
                "order__currency",
                "order__placed_at",
                "sku",
                "name",
                "quantity",
                "price",
            ),
        ),
    ),
    erase=_erase,
    erase_order=45,
)
