"""Signed webhook posts (the client side: HMAC from the documented secret) and payloads in
the shapes Shopify and WooCommerce send."""

import base64
import hashlib
import hmac
import json

from django.test import Client
from django.urls import reverse

SECRET = "demo-webhook-secret"


def hex_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def b64_signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def post(slug: str, route: str, payload, headers: dict, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return Client().post(
        reverse(route, args=[slug]),
        data=body,
        content_type="application/json",
        headers=headers,
        **extra,
    )


def post_generic(slug, payload, secret=SECRET):
    body = json.dumps(payload).encode()
    return post(slug, "api-orders", body, {"X-Signature": hex_signature(body, secret)})


def post_shopify(slug, topic, payload, secret=SECRET):
    body = json.dumps(payload).encode()
    headers = {"X-Shopify-Hmac-Sha256": b64_signature(body, secret), "X-Shopify-Topic": topic}
    return post(slug, "api-orders-shopify", body, headers)


def post_woocommerce(slug, payload, secret=SECRET):
    body = json.dumps(payload).encode()
    return post(
        slug,
        "api-orders-woocommerce",
        body,
        {"X-WC-Webhook-Signature": b64_signature(body, secret)},
    )


def generic_order(order_id="1001", *, email="alice@example.com", status="paid", total="42.50"):
    return {
        "version": 1,
        "order_id": order_id,
        "email": email,
        "status": status,
        "total": total,
        "currency": "EUR",
        "created_at": "2026-11-20T10:00:00Z",
        "lines": [{"sku": "BEAN-1KG", "quantity": 2, "price": "21.25"}],
    }


def shopify_order(order_id=820982911946154508, *, email="alice@example.com", total="42.50"):
    """The shape of Shopify's ``orders/paid`` payload (the fields we read, and some we don't)."""
    return {
        "id": order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "email": email,
        "created_at": "2026-11-20T10:00:00-05:00",
        "processed_at": "2026-11-20T10:00:00-05:00",
        "currency": "EUR",
        "total_price": total,
        "subtotal_price": total,
        "financial_status": "paid",
        "customer": {"id": 115310627314723954, "email": email, "first_name": "Alice"},
        "line_items": [
            {
                "id": 866550311766439020,
                "sku": "BEAN-1KG",
                "title": "House blend, 1 kg",
                "quantity": 2,
                "price": "21.25",
            }
        ],
    }


def shopify_refund(order_id=820982911946154508):
    return {
        "id": 509562969,
        "order_id": order_id,
        "created_at": "2026-11-22T10:00:00-05:00",
        "note": "it broke during shipping",
        "refund_line_items": [{"quantity": 2, "line_item": {"sku": "BEAN-1KG"}}],
        "transactions": [{"kind": "refund", "status": "success", "amount": "42.50"}],
    }


def woocommerce_order(order_id=727, *, status="processing", email="alice@example.com"):
    return {
        "id": order_id,
        "status": status,
        "currency": "EUR",
        "total": "42.50",
        "date_created_gmt": "2026-11-20T10:00:00",
        "date_paid_gmt": "2026-11-20T10:01:00",
        "billing": {"first_name": "Alice", "email": email},
        "line_items": [
            {"id": 315, "name": "House blend", "sku": "BEAN-1KG", "quantity": 2, "price": 21.25}
        ],
    }
