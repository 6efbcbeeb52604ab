"""Web routes of the gamification app (mounted under /c/, next to the community pages)."""

from django.urls import path

from gamification import views

app_name = "gamification"

urlpatterns = [
    path("<slug:slug>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("<slug:slug>/leaderboard/live/", views.leaderboard_fragment, name="leaderboard_fragment"),
    path(
        "<slug:slug>/leaderboard/visibility/",
        views.leaderboard_visibility,
        name="leaderboard_visibility",
    ),
    path("<slug:slug>/points/", views.ledger, name="ledger"),
    path("<slug:slug>/how-points-work/", views.how_points_work, name="how"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/progress/<str:username>/", views.progress, name="progress"),
    path("<slug:slug>/recognition/", views.recognition_feed, name="feed"),
    path("<slug:slug>/recognition/kudos/", views.give_kudos, name="give_kudos"),
    path("<slug:slug>/recognition/badges/", views.grant_badge, name="grant_badge"),
    path("<slug:slug>/recognition/kudos/<int:pk>/revoke/", views.revoke_kudos, name="revoke_kudos"),
    path(
        "<slug:slug>/recognition/badges/<int:pk>/revoke/", views.revoke_badge, name="revoke_badge"
    ),
]
