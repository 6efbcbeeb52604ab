"""Bulk import of past orders from a CSV file (onboarding), idempotent.

One row per order line, the rows of an order next to each other, with the header::

    order_id,email,status,total,currency,placed_at,sku,quantity,price

(``sku``, ``quantity`` and ``price`` may be empty for an order without lines). Orders are written
in chunks with ``bulk_create``: customers first (``ignore_conflicts``), then the orders not yet
imported (an order already there is skipped with its lines, so a second run changes nothing),
then their lines; finally one UPDATE matches the new customers to members. Imported orders are
history: they count on the dashboard but earn no points (``Order.earns_points``).
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import groupby, islice

from django.db import transaction
from django.utils.dateparse import parse_datetime

from commerce import matching
from commerce.models import Customer, Order, OrderLine
from core.errors import Invalid

COLUMNS = (
    "order_id",
    "email",
    "status",
    "total",
    "currency",
    "placed_at",
    "sku",
    "quantity",
    "price",
)
CHUNK = 2000
STATUSES = frozenset(Order.Status.values)


@dataclass
class ImportResult:
    orders: int = 0
    skipped: int = 0
    lines: int = 0
    matched: int = 0


@dataclass(frozen=True)
class ImportedOrder:
    order_id: str
    email: str
    status: str
    total: Decimal
    currency: str
    placed_at: object
    lines: list


def _amount(value: str, line: int) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise Invalid(f"Line {line}: {value!r} is not an amount.") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise Invalid(f"Line {line}: {value!r} is not an amount.")
    return amount


def _order(order_id: str, numbered: list[tuple[int, dict]]) -> ImportedOrder:
    number, first = numbered[0]
    status, currency = first["status"].strip().lower(), first["currency"].strip().upper()
    if not order_id or len(order_id) > 64:
        raise Invalid(f"Line {number}: an order id has 1 to 64 characters.")
    if status not in STATUSES:
        raise Invalid(f"Line {number}: the status is one of {', '.join(sorted(STATUSES))}.")
    if len(currency) != 3 or not currency.isalpha():
        raise Invalid(f"Line {number}: the currency is a three-letter code.")
    placed_at = parse_datetime(first["placed_at"].strip())
    if placed_at is None or placed_at.tzinfo is None:
        raise Invalid(f"Line {number}: placed_at is a date and time with its offset.")
    lines = []
    for line_number, row in numbered:
        if not (row["sku"].strip() or row["quantity"].strip()):
            continue
        quantity = row["quantity"].strip()
        if not quantity.isdigit() or int(quantity) < 1:
            raise Invalid(f"Line {line_number}: the quantity is a whole number from 1.")
        price = _amount(row["price"].strip() or "0", line_number)
        lines.append((row["sku"].strip()[:64], int(quantity), price))
    return ImportedOrder(
        order_id=order_id,
        email=matching.normalise(first["email"]),
        status=status,
        total=_amount(first["total"].strip(), number),
        currency=currency,
        placed_at=placed_at,
        lines=lines,
    )


def read_orders(rows: Iterable[dict]) -> Iterator[ImportedOrder]:
    """Orders from CSV rows (line numbers count the header as line 1)."""
    numbered = ((number, row) for number, row in enumerate(rows, start=2))
    for order_id, group in groupby(numbered, key=lambda item: item[1]["order_id"].strip()):
        yield _order(order_id, list(group))


def import_csv(community, file) -> ImportResult:
    reader = csv.DictReader(file, restval="")
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise Invalid(f"The CSV lacks the columns: {', '.join(sorted(missing))}.")
    return import_orders(community, read_orders(reader))


def import_orders(community, orders: Iterable[ImportedOrder]) -> ImportResult:
    result = ImportResult()
    orders = iter(orders)
    while chunk := list(islice(orders, CHUNK)):
        _import_chunk(community, chunk, result)
    result.matched = matching.match_all(community)
    return result


@transaction.atomic
def _import_chunk(community, chunk: list[ImportedOrder], result: ImportResult) -> None:
    emails = {order.email for order in chunk if order.email}
    Customer.objects.bulk_create(
        [Customer(community=community, email=email) for email in emails], ignore_conflicts=True
    )
    customers = dict(
        Customer.objects.filter(community=community, email__in=emails).values_list("email", "pk")
    )
    existing = set(
        Order.objects.filter(
            community=community,
            source=Order.Source.IMPORT,
            external_id__in=[order.order_id for order in chunk],
        ).values_list("external_id", flat=True)
    )
    new = {}
    for order in chunk:
        if order.order_id in existing or order.order_id in new:
            result.skipped += 1
            continue
        new[order.order_id] = (
            order,
            Order(
                community=community,
                customer_id=customers.get(order.email),
                source=Order.Source.IMPORT,
                external_id=order.order_id,
                status=order.status,
                total=order.total,
                currency=order.currency,
                placed_at=order.placed_at,
                closed_at=None if order.status == Order.Status.PAID else order.placed_at,
            ),
        )
    Order.objects.bulk_create([row for _order, row in new.values()])
    lines = [
        OrderLine(order_id=row.pk, sku=sku, quantity=quantity, price=price)
        for order, row in new.values()
        for sku, quantity, price in order.lines
    ]
    OrderLine.objects.bulk_create(lines)
    result.orders += len(new)
    result.lines += len(lines)
