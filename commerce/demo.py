"""Demo orders for ``manage.py seed_demo``: every demo community's webhook secret is
``demo-webhook-secret``; a few hundred past orders (CSV-import history, no points) from members
and other shoppers over the past months; and, through the webhook service, two recent orders of
alice's that earn points and a refunded order of bob's. A second run changes nothing."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commerce import importer, services
from commerce.formats import Line, OrderData
from commerce.models import Order
from tenancy.models import Community, Membership

DEMO_SECRET = "demo-webhook-secret"
HISTORY_ORDERS = 120
SHOPPERS = 40
DAYS_BACK = 180
SKUS = [
    ("STARTER-KIT", Decimal("24.00")),
    ("REFILL", Decimal("9.50")),
    ("GIFT-BOX", Decimal("39.00")),
]


def _history(community: Community, members: list[str]) -> list:
    """Deterministic past orders: members buy more often than other shoppers."""
    rng = random.Random(community.slug)
    now = timezone.now()
    buyers = [f"{name}@example.com" for name in members] * 6
    buyers += [f"shopper{n}@example.net" for n in range(SHOPPERS)]
    orders = []
    for n in range(HISTORY_ORDERS):
        sku, price = rng.choice(SKUS)
        quantity = rng.randint(1, 3)
        orders.append(
            importer.ImportedOrder(
                order_id=f"demo-{n:04d}",
                email=rng.choice(buyers),
                status=Order.Status.PAID,
                total=price * quantity,
                currency="EUR",
                placed_at=now - timedelta(days=rng.randint(8, DAYS_BACK), hours=rng.randint(0, 23)),
                lines=[(sku, quantity, price)],
            )
        )
    return orders


def _webhook_order(community, order_id, email, total, days_ago, status="paid"):
    sku, price = SKUS[0]
    data = OrderData(
        external_id=order_id,
        status=status,
        placed_at=timezone.now() - timedelta(days=days_ago),
        email=email,
        total=Decimal(total),
        currency="EUR",
        lines=[Line(sku, 1, Decimal(total))],
    )
    services.receive_order(community=community, source=Order.Source.GENERIC, data=data)


def seed(communities: list[Community]) -> None:
    for community in communities:
        services.set_webhook_secret(community=community, by=None, secret=DEMO_SECRET)
        members = list(
            Membership.objects.filter(community=community, role=Membership.Role.MEMBER)
            .values_list("user__username", flat=True)
            .order_by("user__username")
        )
        importer.import_orders(community, _history(community, members))
        _webhook_order(community, "demo-live-1", "alice@example.com", "24.00", 3)
        _webhook_order(community, "demo-live-2", "alice@example.com", "19.00", 1)
        _webhook_order(community, "demo-refund-1", "bob@example.com", "39.00", 2)
        _webhook_order(community, "demo-refund-1", "bob@example.com", "39.00", 2, "refunded")
