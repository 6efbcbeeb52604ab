"""The dashboard's purchase section against a hand-counted fixture (window: 1-7 Jan 2026, UTC).

alice (member):  10.00 on 2 Jan, 30.00 on 5 Jan, 20.00 on 15 Dec (before), 50.00 on 6 Jan refunded
bob (member):    15.00 on 3 Jan
carol (member):  40.00 on 10 Jan (after the window: counts nowhere)
x@shop.test:     5.00, 7.00, 9.00 on 1, 2 and 3 Jan (not a member)
y@shop.test:     20.00 on 20 Dec (before: lifetime only)
a refund that arrived before its order (no details yet): counts nowhere

members: 2 ordering customers, 3 orders, 55.00; alice repeats -> 50.0 %; 1.5 orders each;
         average order 18.33; lifetime 75.00 / 2 customers = 37.50
others:  1 ordering customer, 3 orders, 21.00; x repeats -> 100.0 %; 3.0 orders each;
         average order 7.00; lifetime 41.00 / 2 customers = 20.50
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cms import engagement
from cms.access import sync_brand_manager_access
from commerce import selectors, services
from commerce.formats import OrderData
from tenancy.models import Membership

JAN = "/cms/engagement/roasters/?period=custom&start=2026-01-01&end=2026-01-07"


def at(day: int, month: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
def orders(community, make_member):
    for name in ("alice", "bob", "carol"):
        user = make_member(name)
        user.email = f"{name}@example.com"
        user.save(update_fields=["email"])
    rows = [
        ("a1", "alice@example.com", "10.00", at(2), "paid"),
        ("a2", "alice@example.com", "30.00", at(5), "paid"),
        ("a0", "alice@example.com", "20.00", at(15, 12, 2025), "paid"),
        ("a3", "alice@example.com", "50.00", at(6), "refunded"),
        ("b1", "bob@example.com", "15.00", at(3), "paid"),
        ("c1", "carol@example.com", "40.00", at(10), "paid"),
        ("x1", "x@shop.test", "5.00", at(1), "paid"),
        ("x2", "x@shop.test", "7.00", at(2), "paid"),
        ("x3", "x@shop.test", "9.00", at(3), "paid"),
        ("y1", "y@shop.test", "20.00", at(20, 12, 2025), "paid"),
    ]
    for order_id, email, total, when, status in rows:
        services.receive_order(
            community=community,
            source="generic",
            data=OrderData(order_id, status, when, email, Decimal(total), "EUR"),
        )
    services.receive_order(
        community=community,
        source="shopify",
        data=OrderData("z1", "refunded", at(4), complete=False),
    )


@pytest.fixture
def window(community, orders):
    return engagement.Window(community, date(2026, 1, 1), date(2026, 1, 7))


def test_members_against_other_customers(window):
    figures = selectors.purchase_figures(window.community, since=window.start(), until=window.end)

    members, others = figures["members"], figures["others"]
    assert (members.customers, members.orders, members.revenue) == (2, 3, Decimal("55.00"))
    assert (members.repeat_customers, members.repeat_rate, members.frequency) == (1, 50.0, 1.5)
    assert (members.average_order, members.lifetime_value) == (Decimal("18.33"), Decimal("37.50"))
    assert (others.customers, others.orders, others.revenue) == (1, 3, Decimal("21.00"))
    assert (others.repeat_customers, others.repeat_rate, others.frequency) == (1, 100.0, 3.0)
    assert (others.average_order, others.lifetime_value) == (Decimal("7.00"), Decimal("20.50"))


def test_an_empty_window_has_zeros_not_errors(community, orders):
    empty = selectors.purchase_figures(community, since=at(1, 1, 2020), until=at(2, 1, 2020))

    assert empty["members"].customers == 0
    assert empty["members"].average_order == Decimal("0.00")
    assert empty["others"].lifetime_value == Decimal("0.00")


def test_the_section_on_the_dashboard_and_in_csv(community, window, make_member, client_for):
    brand = make_member("brand", role=Membership.Role.BRAND_MANAGER)
    sync_brand_manager_access(community)
    client = client_for(brand)

    page = client.get(JAN).content.decode()
    export = client.get(JAN + "&export=purchases")

    assert "Repeat purchase rate (%)" in page and "Lifetime value" in page
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1] == ["Members", "2", "3", "55.00", "1", "50.0", "1.5", "18.33", "37.50"]
    assert rows[2] == [
        "Non-member customers",
        "1",
        "3",
        "21.00",
        "1",
        "100.0",
        "3.0",
        "7.00",
        "20.50",
    ]
