"""JSON API routes of the rewards app (mounted under /api/v1/)."""

from django.urls import path

from rewards import api

urlpatterns = [
    path("communities/<slug:slug>/rewards/", api.RewardListApi.as_view(), name="api-rewards"),
    path("rewards/<int:pk>/redeem/", api.RedeemApi.as_view(), name="api-redeem"),
]
