from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
    path("ws/communities/<slug:slug>/", consumers.CommunityConsumer.as_asgi()),
]
