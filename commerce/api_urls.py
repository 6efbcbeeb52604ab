"""JSON API routes of the commerce app (mounted under /api/v1/)."""

from django.urls import path

from commerce import api

urlpatterns = [
    path(
        "communities/<slug:slug>/orders/",
        api.GenericOrderWebhook.as_view(),
        name="api-orders",
    ),
    path(
        "communities/<slug:slug>/orders/shopify/",
        api.ShopifyOrderWebhook.as_view(),
        name="api-orders-shopify",
    ),
    path(
        "communities/<slug:slug>/orders/woocommerce/",
        api.WooCommerceOrderWebhook.as_view(),
        name="api-orders-woocommerce",
    ),
]
