from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import TokenView
from config.api_root import api_root

urlpatterns = [
    path("", api_root, name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("community.api_urls")),
    path("", include("gamification.api_urls")),
    path("", include("rewards.api_urls")),
    path("", include("commerce.api_urls")),
    path("", include("realtime.api_urls")),
]
