"""JSON API routes of the realtime app (mounted under /api/v1/)."""

from django.urls import path

from realtime import api

urlpatterns = [
    path("notifications/", api.UnreadNotificationsApi.as_view(), name="api-notifications-unread"),
]
