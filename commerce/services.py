"""Recording orders from the shop (webhooks): idempotent, refunds in any order.

``receive_order`` locks the order row (made on first sight) and moves it one way only: paid ->
refunded or cancelled. A refund that arrives before its order makes an incomplete refunded
order; the paid order arriving later fills in its details and earns nothing. A replay of any
message changes nothing.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce import matching, points, signing
from commerce.formats import OrderData
from commerce.models import Customer, Order, OrderLine, ShopConnection
from core.errors import Invalid

SECRET_TOO_SHORT = f"A webhook secret has at least {signing.MIN_SECRET_LENGTH} characters."
CLOSED = frozenset({Order.Status.REFUNDED, Order.Status.CANCELLED})


def receive_order(*, community, source: str, data: OrderData) -> tuple[Order, bool]:
    """Record ``data`` for ``community``; returns the order and whether it was new."""
    with transaction.atomic():
        order, created = _locked_order(community, source, data)
        if created:
            if data.complete:
                _fill(order, data)
            if order.status == Order.Status.PAID:
                _award(order)
            return order, True
        if not order.complete and data.complete:
            _fill(order, data)
        if order.status == Order.Status.PAID and data.status in CLOSED:
            order.status, order.closed_at = data.status, timezone.now()
            order.save(update_fields=["status", "closed_at", "updated_at"])
            points.reverse_order(order, cancelled=data.status == Order.Status.CANCELLED)
    return order, False


def _locked_order(community, source, data: OrderData) -> tuple[Order, bool]:
    defaults = {
        "status": data.status,
        "complete": False,
        "placed_at": data.placed_at,
        "closed_at": timezone.now() if data.status in CLOSED else None,
    }
    try:
        with transaction.atomic():
            order, created = Order.objects.get_or_create(
                community=community, source=source, external_id=data.external_id, defaults=defaults
            )
    except IntegrityError:  # a concurrent delivery of the same order made it first
        created = False
    if not created:
        order = Order.objects.select_for_update().get(
            community=community, source=source, external_id=data.external_id
        )
    return order, created


def _fill(order: Order, data: OrderData) -> None:
    order.customer = matching.customer_for(order.community, data.email)
    order.total, order.currency, order.placed_at = data.total, data.currency, data.placed_at
    order.complete = True
    order.save(
        update_fields=["customer", "total", "currency", "placed_at", "complete", "updated_at"]
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order, sku=line.sku, name=line.name, quantity=line.quantity, price=line.price
        )
        for line in data.lines
    )


def _award(order: Order) -> None:
    customer = order.customer
    if order.earns_points and customer is not None and customer.member_id is not None:
        points.award_order(order, customer.member)


def attribute_orders(*, user, community) -> int:
    """Make the orders a newcomer placed before joining theirs, and award the paid ones.

    Runs when a membership is made (``commerce.receivers``), in its transaction. Returns how
    many orders were attributed.
    """
    email = matching.normalise(user.email or "")
    if not email:
        return 0
    customer = (
        Customer.objects.select_for_update()
        .filter(community=community, email=email, member__isnull=True)
        .first()
    )
    if customer is None or matching.member_for_email(community, email) != user:
        return 0
    customer.member, customer.matched_at = user, timezone.now()
    customer.save(update_fields=["member", "matched_at"])
    paid = customer.orders.filter(status=Order.Status.PAID, complete=True).exclude(
        source=Order.Source.IMPORT
    )
    for order in paid.select_related("community").order_by("placed_at", "pk"):
        points.award_order(order, user)
    return customer.orders.count()


def set_webhook_secret(*, community, by, secret: str = "") -> str:
    """Set (or, without ``secret``, generate) the community's webhook secret; returns it in
    clear, to be shown once. The previous secret stops working at once."""
    secret = secret.strip() or signing.new_secret()
    if len(secret) < signing.MIN_SECRET_LENGTH:
        raise Invalid(SECRET_TOO_SHORT, field="secret")
    ShopConnection.objects.update_or_create(
        community=community,
        defaults={"encrypted_secret": signing.encrypt(secret), "updated_by": by},
    )
    return secret
