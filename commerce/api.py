"""Order webhooks: ``POST /api/v1/communities/<slug>/orders/`` (generic format, version 1),
``.../orders/shopify/`` and ``.../orders/woocommerce/``.

No session or token: the shop proves itself with an HMAC-SHA256 signature of the raw body under
the community's secret (``commerce.signing``). The checks run cheapest first: a body larger
than ``COMMERCE_WEBHOOK_MAX_BYTES`` is refused by its Content-Length before it is read (413),
an unknown community is a 404, a missing or wrong signature a 401 with nothing stored; then the
body is parsed (400 when it is not the format) and recorded (``commerce.services``).
"""

import json

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce import formats, services, signing
from core.errors import Invalid, NotFound
from tenancy.models import Community

DEFAULT_MAX_BYTES = 1024 * 1024
ERROR = OpenApiResponse(description='{"message": "...", "errors": {}}')
ERRORS = {400: ERROR, 401: ERROR, 404: ERROR, 413: ERROR}
TOO_LARGE = "The body is larger than {limit} bytes."
BAD_SIGNATURE = "The signature is missing or does not match the community's webhook secret."
NOT_JSON = "The body is not JSON."


def max_bytes() -> int:
    return getattr(settings, "COMMERCE_WEBHOOK_MAX_BYTES", DEFAULT_MAX_BYTES)


def _refusal(status: int, message: str) -> Response:
    return Response({"message": message, "errors": {}}, status=status)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class OrderWebhook(APIView):
    """The shared steps; subclasses name their signature format and read their payload."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    source = ""

    def order_data(self, request, payload) -> formats.OrderData | None:
        raise NotImplementedError

    def post(self, request, slug):
        limit = max_bytes()
        if _declared_length(request) > limit:
            return _refusal(413, TOO_LARGE.format(limit=limit))
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            raise NotFound("No such community.")
        body = request.body
        if len(body) > limit:
            return _refusal(413, TOO_LARGE.format(limit=limit))
        if not signing.verify(self.source, request.headers, signing.secret_for(community), body):
            return _refusal(401, BAD_SIGNATURE)
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise Invalid(NOT_JSON) from None
        data = self.order_data(request, payload)
        if data is None:
            return Response(
                {"order_id": "", "status": "", "created": False, "ignored": True}, status=202
            )
        order, created = services.receive_order(community=community, source=self.source, data=data)
        return Response(
            {
                "order_id": order.external_id,
                "status": order.status,
                "created": created,
                "ignored": False,
            }
        )


def _signature(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, str, OpenApiParameter.HEADER, required=True, description=description
    )


class GenericOrderWebhook(OrderWebhook):
    source = "generic"

    @extend_schema(
        tags=["commerce"],
        summary="Record an order (generic format, version 1); idempotent per order_id",
        parameters=[_signature(signing.GENERIC_HEADER, "sha256=<hex HMAC-SHA256 of the raw body>")],
        request=formats.GenericOrderSerializer,
        responses={200: formats.OrderResultSerializer, **ERRORS},
    )
    def post(self, request, slug):
        return super().post(request, slug)

    def order_data(self, request, payload):
        return formats.generic(payload)


class ShopifyOrderWebhook(OrderWebhook):
    source = "shopify"

    @extend_schema(
        tags=["commerce"],
        summary="Shopify webhooks: orders/paid and refunds/create",
        parameters=[
            _signature(signing.SHOPIFY_HEADER, "base64 HMAC-SHA256 of the raw body"),
            _signature("X-Shopify-Topic", "orders/paid or refunds/create (others are ignored)"),
        ],
        request=OpenApiTypes.OBJECT,
        responses={
            200: formats.OrderResultSerializer,
            202: formats.OrderResultSerializer,
            **ERRORS,
        },
    )
    def post(self, request, slug):
        return super().post(request, slug)

    def order_data(self, request, payload):
        return formats.shopify(request.headers.get("X-Shopify-Topic", "").strip(), payload)


class WooCommerceOrderWebhook(OrderWebhook):
    source = "woocommerce"

    @extend_schema(
        tags=["commerce"],
        summary="WooCommerce webhooks: order created and updated",
        parameters=[_signature(signing.WOOCOMMERCE_HEADER, "base64 HMAC-SHA256 of the raw body")],
        request=OpenApiTypes.OBJECT,
        responses={
            200: formats.OrderResultSerializer,
            202: formats.OrderResultSerializer,
            **ERRORS,
        },
    )
    def post(self, request, slug):
        return super().post(request, slug)

    def order_data(self, request, payload):
        return formats.woocommerce(payload)
