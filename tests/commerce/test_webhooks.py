"""The order webhooks: signatures in three formats, idempotent replays, refunds (in order and out
of order), body-size refusal, bad input."""

import json

import pytest

from commerce.models import Customer, Order, OrderLine
from gamification import actions
from gamification.models import LedgerEntry, Score
from tests.commerce.payloads import (
    b64_signature,
    generic_order,
    hex_signature,
    post,
    post_generic,
    post_shopify,
    post_woocommerce,
    shopify_order,
    shopify_refund,
    woocommerce_order,
)

pytestmark = pytest.mark.django_db

# 10 per order, 1 per whole euro of 42.50, 25 for the first order.
ORDER_POINTS = 10 + 42 + 25


def balance(member, community) -> tuple[int, int]:
    score = Score.objects.filter(member=member, community=community).first()
    return (score.lifetime, score.balance) if score else (0, 0)


def nothing_stored():
    return not (Order.objects.exists() or Customer.objects.exists() or LedgerEntry.objects.exists())


FORMATS = {
    "generic": ("api-orders", "X-Signature", generic_order(), hex_signature),
    "shopify": ("api-orders-shopify", "X-Shopify-Hmac-Sha256", shopify_order(), b64_signature),
    "woocommerce": (
        "api-orders-woocommerce",
        "X-WC-Webhook-Signature",
        woocommerce_order(),
        b64_signature,
    ),
}


def signed_post(shop, fmt, *, secret="demo-webhook-secret", header=True, tamper=False):
    route, name, payload, sign = FORMATS[fmt]
    body = json.dumps(payload).encode()
    headers = {"X-Shopify-Topic": "orders/paid"} if fmt == "shopify" else {}
    if header:
        headers[name] = sign(body, secret)
    return post(shop.slug, route, body + (b" " if tamper else b""), headers)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_good_signature_records_the_order_and_awards_the_member(shop, alice, fmt):
    response = signed_post(shop, fmt)

    assert response.status_code == 200, response.content
    assert response.json()["created"] is True
    order = Order.objects.get()
    assert (order.source, order.status, str(order.total), order.currency) == (
        fmt,
        "paid",
        "42.50",
        "EUR",
    )
    assert order.customer.member == alice
    line = OrderLine.objects.get()
    assert (line.sku, line.quantity, str(line.price)) == ("BEAN-1KG", 2, "21.25")
    assert balance(alice, shop) == (ORDER_POINTS, ORDER_POINTS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "how",
    [{"secret": "not-the-community-secret"}, {"header": False}, {"tamper": True}],
    ids=["wrong secret", "missing", "body changed"],
)
def test_a_bad_or_missing_signature_is_401_and_stores_nothing(shop, alice, fmt, how):
    response = signed_post(shop, fmt, **how)

    assert response.status_code == 401
    assert "signature" in response.json()["message"]
    assert nothing_stored()


def test_a_community_without_a_secret_accepts_nothing(community, alice):
    response = post_generic(community.slug, generic_order())

    assert response.status_code == 401
    assert nothing_stored()


def test_a_replayed_order_changes_nothing(shop, alice):
    first = post_generic(shop.slug, generic_order())
    rows = LedgerEntry.objects.count()
    again = post_generic(shop.slug, generic_order())

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["created"] is False
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1
    assert LedgerEntry.objects.count() == rows
    assert balance(alice, shop) == (ORDER_POINTS, ORDER_POINTS)


def test_a_second_order_earns_no_second_thank_you(shop, alice):
    post_generic(shop.slug, generic_order("1"))
    post_generic(shop.slug, generic_order("2", total="10.00"))

    assert balance(alice, shop)[0] == ORDER_POINTS + 10 + 10
    assert LedgerEntry.objects.filter(action=actions.PURCHASE_FIRST_ORDER).count() == 1


@pytest.mark.parametrize("status", ["refunded", "cancelled"])
def test_a_refund_or_cancellation_reverses_exactly_what_the_order_earned(shop, alice, status):
    post_generic(shop.slug, generic_order("1", total="5.00"))
    post_generic(shop.slug, generic_order("2"))
    before = balance(alice, shop)

    response = post_generic(shop.slug, generic_order("2", status=status))
    replay = post_generic(shop.slug, generic_order("2", status=status))

    assert (response.status_code, replay.status_code) == (200, 200)
    assert Order.objects.get(external_id="2").status == status
    assert balance(alice, shop) == (before[0] - 10 - 42, before[1] - 10 - 42)
    reversals = LedgerEntry.objects.filter(reverses__isnull=False)
    assert sorted(reversals.values_list("action", flat=True)) == [
        actions.PURCHASE_ORDER,
        actions.PURCHASE_SPEND,
    ]
    # A paid message after the refund does not bring the points back.
    post_generic(shop.slug, generic_order("2"))
    assert Order.objects.get(external_id="2").status == status
    assert balance(alice, shop)[0] == before[0] - 52


def test_refunding_the_first_order_takes_back_the_thank_you_too(shop, alice):
    post_shopify(shop.slug, "orders/paid", shopify_order())
    response = post_shopify(shop.slug, "refunds/create", shopify_refund())

    assert response.status_code == 200
    assert Order.objects.get().status == "refunded"
    assert balance(alice, shop) == (0, 0)


def test_a_refund_never_takes_the_balance_below_zero(shop, alice):
    post_generic(shop.slug, generic_order())
    Score.objects.filter(member=alice, community=shop).update(balance=5)

    post_generic(shop.slug, generic_order(status="refunded"))

    assert balance(alice, shop) == (0, 0)
    assert LedgerEntry.objects.filter(action=actions.ALREADY_SPENT).exists()


def test_a_refund_before_its_order_keeps_the_order_refunded_and_unawarded(shop, alice):
    early = post_shopify(shop.slug, "refunds/create", shopify_refund())
    late = post_shopify(shop.slug, "orders/paid", shopify_order())

    assert (early.status_code, late.status_code) == (200, 200)
    order = Order.objects.get()
    assert (order.status, order.complete, str(order.total)) == ("refunded", True, "42.50")
    assert order.customer.member == alice
    assert OrderLine.objects.count() == 1
    assert not LedgerEntry.objects.exists()


def test_woocommerce_statuses_map_to_paid_refunded_and_ignored(shop, alice):
    pending = post_woocommerce(shop.slug, woocommerce_order(status="pending"))
    paid = post_woocommerce(shop.slug, woocommerce_order(status="completed"))
    refunded = post_woocommerce(shop.slug, woocommerce_order(status="refunded"))

    assert pending.status_code == 202 and pending.json()["ignored"] is True
    assert (paid.status_code, refunded.status_code) == (200, 200)
    assert Order.objects.get().status == "refunded"
    assert balance(alice, shop) == (0, 0)


def test_other_shopify_topics_are_accepted_and_ignored(shop, alice):
    response = post_shopify(shop.slug, "orders/create", shopify_order())

    assert response.status_code == 202
    assert nothing_stored()


def test_a_non_member_customer_is_kept_without_points(shop, alice):
    response = post_generic(shop.slug, generic_order(email="Stranger@Example.net"))

    assert response.status_code == 200
    customer = Customer.objects.get()
    assert (customer.email, customer.member) == ("stranger@example.net", None)
    assert not LedgerEntry.objects.exists()


def test_the_member_is_matched_whatever_the_case_of_the_address(shop, alice):
    post_generic(shop.slug, generic_order(email=" ALICE@example.COM "))

    assert Customer.objects.get().member == alice


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 2, **{k: v for k, v in generic_order().items() if k != "version"}},
        {**generic_order(), "total": "-1"},
        {**generic_order(), "currency": "euro"},
        {**generic_order(), "status": "shipped"},
        {**generic_order(), "lines": [{"sku": "X", "quantity": 0, "price": "1"}]},
        [],
    ],
    ids=["version", "negative", "currency", "status", "quantity", "not an object"],
)
def test_a_signed_body_in_the_wrong_format_is_400(shop, alice, payload):
    response = post_generic(shop.slug, payload)

    assert response.status_code == 400
    assert nothing_stored()


def test_a_signed_body_that_is_not_json_is_400(shop):
    body = b"\xff{not json"
    response = post(shop.slug, "api-orders", body, {"X-Signature": hex_signature(body)})

    assert response.status_code == 400
    assert response.json()["message"] == "The body is not JSON."


def test_a_shopify_payload_without_an_id_is_400(shop, alice):
    payload = shopify_order()
    del payload["id"]

    assert post_shopify(shop.slug, "orders/paid", payload).status_code == 400


def test_an_unknown_community_is_404(db):
    assert post_generic("nowhere", generic_order()).status_code == 404


def test_a_body_over_the_limit_is_refused_by_its_declared_length_before_it_is_read(shop, settings):
    settings.COMMERCE_WEBHOOK_MAX_BYTES = 1000
    body = json.dumps(generic_order()).encode()

    # The declared length is larger than the body: reading the body would fail, so a 413 here
    # means the view decided on the header alone.
    response = post(
        shop.slug, "api-orders", body, {"X-Signature": hex_signature(body)}, CONTENT_LENGTH="5000"
    )

    assert response.status_code == 413
    assert nothing_stored()


def test_a_body_over_the_limit_is_refused(shop, settings):
    settings.COMMERCE_WEBHOOK_MAX_BYTES = 100
    body = json.dumps(generic_order()).encode()

    response = post(shop.slug, "api-orders", body, {"X-Signature": hex_signature(body)})

    assert response.status_code == 413
    assert nothing_stored()


def test_the_webhooks_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    for path in ("", "shopify/", "woocommerce/"):
        operation = schema["paths"][f"/api/v1/communities/{{slug}}/orders/{path}"]["post"]
        assert {"200", "401", "413"} <= set(operation["responses"])
    generic = schema["paths"]["/api/v1/communities/{slug}/orders/"]["post"]
    assert "X-Signature" in {p["name"] for p in generic["parameters"]}
