"""JSON API routes of the community app (mounted under /api/v1/)."""

from django.urls import path

from community import api, api_search, api_social

urlpatterns = [
    path("communities/", api.CommunityListApi.as_view(), name="api-communities"),
    path("communities/<slug:slug>/", api.CommunityDetailApi.as_view(), name="api-community"),
    path("communities/<slug:slug>/join/", api.JoinApi.as_view(), name="api-join"),
    path("communities/<slug:slug>/leave/", api.LeaveApi.as_view(), name="api-leave"),
    path("communities/<slug:slug>/topics/", api.TopicListCreateApi.as_view(), name="api-topics"),
    path("topics/<int:pk>/", api.TopicDetailApi.as_view(), name="api-topic"),
    path("topics/<int:pk>/posts/", api.PostCreateApi.as_view(), name="api-posts"),
    path("topics/<int:pk>/watch/", api_social.TopicWatchApi.as_view(), name="api-topic-watch"),
    path(
        "communities/<slug:slug>/members/",
        api_social.MemberSuggestionsApi.as_view(),
        name="api-member-suggestions",
    ),
    path("posts/<int:pk>/helpful/", api.HelpfulApi.as_view(), name="api-helpful"),
    path("posts/<int:pk>/accept/", api.AcceptApi.as_view(), name="api-accept"),
    path("communities/<slug:slug>/products/", api.ProductListApi.as_view(), name="api-products"),
    path("communities/<slug:slug>/reviews/", api.ReviewCreateApi.as_view(), name="api-reviews"),
    path("communities/<slug:slug>/search/", api_search.SearchApi.as_view(), name="api-search"),
    path("communities/<slug:slug>/photos/", api.PhotoListCreateApi.as_view(), name="api-photos"),
    path("reports/", api.ReportCreateApi.as_view(), name="api-reports"),
    path(
        "communities/<slug:slug>/moderation/",
        api.ModerationQueueApi.as_view(),
        name="api-moderation",
    ),
    path("moderation/<str:target_type>/<int:pk>/hide/", api.HideApi.as_view(), name="api-hide"),
    path(
        "moderation/<str:target_type>/<int:pk>/restore/",
        api.RestoreApi.as_view(),
        name="api-restore",
    ),
]
