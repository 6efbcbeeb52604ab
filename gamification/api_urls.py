"""JSON API routes of the gamification app (mounted under /api/v1/)."""

from django.urls import path

from gamification import api

urlpatterns = [
    path(
        "communities/<slug:slug>/leaderboard/",
        api.LeaderboardApi.as_view(),
        name="api-leaderboard",
    ),
    path(
        "communities/<slug:slug>/members/<str:username>/",
        api.MemberProgressApi.as_view(),
        name="api-member-progress",
    ),
    path("me/ledger/", api.MyLedgerApi.as_view(), name="api-my-ledger"),
    path("communities/<slug:slug>/kudos/", api.KudosApi.as_view(), name="api-kudos"),
]
