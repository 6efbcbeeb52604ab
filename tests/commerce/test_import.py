"""``manage.py import_orders``: bulk, idempotent, matched to members, no points for history."""

import pytest
from django.core.management import CommandError, call_command

from commerce.models import Customer, Order, OrderLine
from gamification.models import LedgerEntry

pytestmark = pytest.mark.django_db

CSV = """order_id,email,status,total,currency,placed_at,sku,quantity,price
h1,Alice@Example.com,paid,30.00,EUR,2026-10-01T09:00:00+00:00,BEAN-1KG,1,20.00
h1,Alice@Example.com,paid,30.00,EUR,2026-10-01T09:00:00+00:00,MUG,2,5.00
h2,stranger@example.net,refunded,12.50,eur,2026-10-02T09:00:00Z,BEAN-250,1,12.50
h3,stranger@example.net,paid,8.00,EUR,2026-10-03T09:00:00Z,,,
"""


def run(tmp_path, community, text=CSV) -> str:
    path = tmp_path / "orders.csv"
    path.write_text(text)
    out = []

    class Out:
        def write(self, message):
            out.append(message)

    call_command("import_orders", str(path), community=community.slug, stdout=Out())
    return "".join(out)


def test_import_creates_orders_lines_and_matches_members(tmp_path, community, alice):
    message = run(tmp_path, community)

    assert "Imported 3 orders (3 lines)" in message
    assert Order.objects.filter(source="import").count() == 3
    assert sorted(OrderLine.objects.values_list("sku", "quantity")) == [
        ("BEAN-1KG", 1),
        ("BEAN-250", 1),
        ("MUG", 2),
    ]
    h2 = Order.objects.get(external_id="h2")
    assert (h2.status, h2.currency, str(h2.total)) == ("refunded", "EUR", "12.50")
    assert Customer.objects.get(email="alice@example.com").member == alice
    assert Customer.objects.get(email="stranger@example.net").member is None
    assert not LedgerEntry.objects.exists()  # history earns no points


def test_a_second_import_changes_nothing(tmp_path, community, alice):
    run(tmp_path, community)
    message = run(tmp_path, community)

    assert "Imported 0 orders (0 lines); skipped 3" in message
    assert (Order.objects.count(), OrderLine.objects.count(), Customer.objects.count()) == (3, 3, 2)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("order_id,email\nh1,a@b.c\n", "lacks the columns"),
        (CSV.replace("paid,30.00", "shipped,30.00"), "Line 2: the status"),
        (CSV.replace("8.00,EUR", "eight,EUR"), "Line 5: 'eight' is not an amount"),
        (CSV.replace("MUG,2", "MUG,0"), "Line 3: the quantity"),
    ],
)
def test_a_bad_file_is_a_command_error(tmp_path, community, text, error):
    with pytest.raises(CommandError, match=error):
        run(tmp_path, community, text)


def test_an_unknown_community_is_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match="No community"):
        call_command("import_orders", str(tmp_path / "x.csv"), community="nowhere")
