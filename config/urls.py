import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community import views
from community.views.search import search_all
from safety import media

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_all, name="search"),
    path("accounts/", include("accounts.urls")),
    path("c/", include("community.urls")),
    path("c/", include("gamification.urls")),
    path("c/", include("rewards.urls")),
    # The inbox is realtime's own (state changes only on POST). The notifications library's
    # views are not mounted: its JSON lists mark rows read on a GET with ?mark_as_read.
    path("notifications/", include("realtime.urls")),
    path("api/v1/", include("config.api_urls")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Uploads, when this process serves them (only re-encoded images, with nosniff: safety/media.py).
if settings.SERVE_MEDIA and not urlsplit(settings.MEDIA_URL).netloc:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.+)$", media.serve, name="media")]

# Wagtail serves the community home pages, challenges and announcements at /<slug>/...;
# it comes last so every route above wins.
urlpatterns += [path("", include(wagtail_urls))]
