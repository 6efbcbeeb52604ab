"""Importing past orders: ``import_orders`` (CSV, 100,000 customers by default) vs a floor.

Writes a CSV of one order per customer plus a second order for every fifth customer (one line
each, one in ten with two), imports it with the real importer, imports it again (idempotent:
nothing written), and times the floor in the same run: a bare ``bulk_create`` of the same
customers, orders and lines into a fresh community, with nothing checked or looked up.

Runs against the database in the environment: SQLite by default (a scratch file, migrated on
the fly), PostgreSQL with DATABASE_URL.

    .venv/bin/python benchmarks/order_import.py [--customers 100000]
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.gettempdir()) / "bench-orders.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from commerce.importer import COLUMNS, import_csv  # noqa: E402
from commerce.models import Customer, Order, OrderLine  # noqa: E402
from tenancy.models import Community  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)


def orders_of(customers: int):
    """(order id, e-mail, total, placed at, lines) for the run's orders."""
    for c in range(customers):
        for repeat in range(2 if c % 5 == 0 else 1):
            lines = [("BEAN-1KG", 1, Decimal("20.00"))]
            if c % 10 == 0:
                lines.append(("MUG", 2, Decimal("6.00")))
            total = sum(quantity * price for _sku, quantity, price in lines)
            placed = START + timedelta(minutes=c + repeat * 1000)
            yield f"o{c}-{repeat}", f"customer{c}@example.net", total, placed, lines


def write_csv(path: Path, customers: int) -> int:
    count = 0
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for order_id, email, total, placed, lines in orders_of(customers):
            count += 1
            for sku, quantity, price in lines:
                row = [order_id, email, "paid", total, "EUR", placed.isoformat()]
                writer.writerow([*row, sku, quantity, price])
    return count


def fresh(tag: str) -> Community:
    Community.objects.filter(slug=f"bench-{tag}").delete()
    return Community.objects.create(slug=f"bench-{tag}", name=f"Bench {tag}")


def floor(community: Community, customers: int) -> float:
    """A bare bulk insert of the same rows: the fastest this could be."""
    started = time.perf_counter()
    with transaction.atomic():
        rows = Customer.objects.bulk_create(
            [
                Customer(community=community, email=f"customer{c}@example.net")
                for c in range(customers)
            ],
            batch_size=2000,
        )
        ids = {row.email: row.pk for row in rows}
        batch, lines = [], []
        for order_id, email, total, placed, order_lines in orders_of(customers):
            batch.append(
                (
                    Order(
                        community=community,
                        customer_id=ids[email],
                        source=Order.Source.IMPORT,
                        external_id=order_id,
                        status=Order.Status.PAID,
                        total=total,
                        currency="EUR",
                        placed_at=placed,
                    ),
                    order_lines,
                )
            )
        Order.objects.bulk_create([order for order, _ in batch], batch_size=2000)
        for order, order_lines in batch:
            lines += [
                OrderLine(order_id=order.pk, sku=sku, quantity=quantity, price=price)
                for sku, quantity, price in order_lines
            ]
        OrderLine.objects.bulk_create(lines, batch_size=2000)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    customers = parser.parse_args().customers
    call_command("migrate", verbosity=0)
    path = Path(tempfile.gettempdir()) / "bench-orders.csv"
    orders = write_csv(path, customers)
    print(f"database: {connection.vendor}; {customers} customers, {orders} orders")

    community = fresh("import")
    started = time.perf_counter()
    with path.open(newline="") as file:
        result = import_csv(community, file)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    with path.open(newline="") as file:
        again = import_csv(community, file)
    replay = time.perf_counter() - started
    assert (result.orders, again.orders, again.skipped) == (orders, 0, orders)

    bare = floor(fresh("floor"), customers)
    print(f"import_orders:               {imported:8.1f} s  ({orders / imported:,.0f} orders/s)")
    print(f"second run (nothing new):    {replay:8.1f} s")
    print(f"floor (bare bulk insert):    {bare:8.1f} s")
    print(f"ratio import vs floor:       {imported / bare:8.2f}x  (target: under 5 minutes)")
    for tag in ("import", "floor"):
        Community.objects.filter(slug=f"bench-{tag}").delete()
    path.unlink()


if __name__ == "__main__":
    main()
