"""The order formats the webhooks accept, each read into one ``OrderData``.

* generic, version 1 (documented in docs/commerce.md): ``GenericOrderSerializer``;
* Shopify: ``orders/paid`` (an order) and ``refunds/create`` (a refund of an order);
* WooCommerce: order created/updated (``processing``/``completed`` are paid; ``refunded``,
  ``cancelled``; other statuses, e.g. ``pending``, are not purchases yet and are ignored).

A format error is a 400 (``core.errors.Invalid``, or the serializer's field errors); ``None``
means "understood, nothing to record".
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from commerce.models import Order
from core.errors import Invalid

GENERIC_VERSION = 1
MAX_LINES = 500
AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
SHOPIFY_ORDER_TOPICS = frozenset({"orders/paid"})
SHOPIFY_REFUND_TOPIC = "refunds/create"
WOOCOMMERCE_STATUSES = {
    "processing": Order.Status.PAID,
    "completed": Order.Status.PAID,
    "refunded": Order.Status.REFUNDED,
    "cancelled": Order.Status.CANCELLED,
}


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    price: Decimal
    name: str = ""


@dataclass(frozen=True)
class OrderData:
    external_id: str
    status: str
    placed_at: datetime
    email: str = ""
    total: Decimal = Decimal("0")
    currency: str = ""
    lines: list[Line] = field(default_factory=list)
    #: False for a refund notice that carries no order details (Shopify ``refunds/create``).
    complete: bool = True


class LineSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    price = serializers.DecimalField(**AMOUNT)


class GenericOrderSerializer(serializers.Serializer):
    """Version 1 of the generic order format (send the whole order on every change)."""

    version = serializers.ChoiceField(choices=[GENERIC_VERSION])
    order_id = serializers.CharField(max_length=64)
    email = serializers.EmailField(max_length=254)
    status = serializers.ChoiceField(choices=Order.Status.choices)
    total = serializers.DecimalField(**AMOUNT)
    currency = serializers.RegexField(r"^[A-Z]{3}$")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(required=False)
    lines = LineSerializer(many=True, max_length=MAX_LINES)


class OrderResultSerializer(serializers.Serializer):
    """What a webhook answers: the order as stored now."""

    order_id = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField()
    ignored = serializers.BooleanField()


def generic(payload) -> OrderData:
    data = GenericOrderSerializer(data=payload)
    data.is_valid(raise_exception=True)  # a 400 with the field errors
    order = data.validated_data
    return OrderData(
        external_id=order["order_id"],
        status=order["status"],
        placed_at=order["created_at"],
        email=order["email"],
        total=order["total"],
        currency=order["currency"],
        lines=[
            Line(line["sku"], line["quantity"], line["price"], line["name"])
            for line in order["lines"]
        ],
    )


def _object(payload) -> dict:
    if not isinstance(payload, dict):
        raise Invalid("The body must be a JSON object.")
    return payload


def _text(value, limit: int) -> str:
    return "" if value is None else str(value).strip()[:limit]


def _id(payload: dict, key: str) -> str:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        raise Invalid(f"The order has no {key}.")
    value = str(value).strip()
    if len(value) > 64:
        raise Invalid(f"The {key} is too long.")
    return value


def _amount(value, what: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise Invalid(f"The {what} is not an amount.") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise Invalid(f"The {what} is not an amount.")
    return amount.quantize(Decimal("0.01"))


def _quantity(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise Invalid("A line's quantity must be a whole number from 1.")
    return value


def _when(value) -> datetime:
    """A timestamp of the payload (naive ones are UTC, as WooCommerce's ``*_gmt``); now when
    it is missing or unreadable."""
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _currency(value) -> str:
    currency = _text(value, 3).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise Invalid("The currency must be a three-letter code.")
    return currency


def _lines(items) -> list[Line]:
    if not isinstance(items, list) or len(items) > MAX_LINES:
        raise Invalid(f"An order has a list of at most {MAX_LINES} lines.")
    lines = []
    for item in items:
        if not isinstance(item, dict):
            raise Invalid("Each line must be an object.")
        lines.append(
            Line(
                sku=_text(item.get("sku"), 64),
                quantity=_quantity(item.get("quantity")),
                price=_amount(item.get("price"), "line price"),
                name=_text(item.get("name") or item.get("title"), 200),
            )
        )
    return lines


def _email(*candidates) -> str:
    for value in candidates:
        if isinstance(value, str) and "@" in value:
            return value.strip()[:254]
    return ""


def shopify(topic: str, payload) -> OrderData | None:
    payload = _object(payload)
    if topic == SHOPIFY_REFUND_TOPIC:
        return OrderData(
            external_id=_id(payload, "order_id"),
            status=Order.Status.REFUNDED,
            placed_at=_when(payload.get("created_at")),
            complete=False,
        )
    if topic not in SHOPIFY_ORDER_TOPICS:
        return None
    customer = payload.get("customer") if isinstance(payload.get("customer"), dict) else {}
    return OrderData(
        external_id=_id(payload, "id"),
        status=Order.Status.PAID,
        placed_at=_when(payload.get("processed_at") or payload.get("created_at")),
        email=_email(payload.get("email"), payload.get("contact_email"), customer.get("email")),
        total=_amount(payload.get("total_price"), "total"),
        currency=_currency(payload.get("currency")),
        lines=_lines(payload.get("line_items", [])),
    )


def woocommerce(payload) -> OrderData | None:
    payload = _object(payload)
    status = WOOCOMMERCE_STATUSES.get(payload.get("status"))
    if status is None:
        return None
    billing = payload.get("billing") if isinstance(payload.get("billing"), dict) else {}
    return OrderData(
        external_id=_id(payload, "id"),
        status=status,
        placed_at=_when(payload.get("date_paid_gmt") or payload.get("date_created_gmt")),
        email=_email(billing.get("email")),
        total=_amount(payload.get("total"), "total"),
        currency=_currency(payload.get("currency")),
        lines=_lines(payload.get("line_items", [])),
    )
