from django.urls import path

from community.views import (
    catalogue,
    communities,
    deletion,
    members,
    moderation,
    photos,
    preview,
    search,
    topics,
)

app_name = "community"

urlpatterns = [
    path("<slug:slug>/", communities.community_detail, name="detail"),
    path("<slug:slug>/join/", communities.join, name="join"),
    path("<slug:slug>/search/", search.search_community, name="search"),
    path("<slug:slug>/preview/", preview.preview, name="preview"),
    path("<slug:slug>/leave/", communities.leave, name="leave"),
    path("<slug:slug>/topics/new/", topics.topic_create, name="topic_create"),
    path("<slug:slug>/topics/<int:pk>/", topics.topic_detail, name="topic"),
    path("<slug:slug>/topics/<int:pk>/reply/", topics.reply, name="reply"),
    path("<slug:slug>/topics/<int:pk>/lock/", topics.lock, name="lock"),
    path("<slug:slug>/topics/<int:pk>/watch/", topics.watch, name="watch"),
    path("<slug:slug>/posts/<int:pk>/edit/", topics.post_edit, name="post_edit"),
    path("<slug:slug>/posts/<int:pk>/delete/", deletion.post_delete, name="post_delete"),
    path("<slug:slug>/posts/<int:pk>/history/", topics.post_history, name="post_history"),
    path("<slug:slug>/posts/<int:pk>/helpful/", topics.helpful, name="helpful"),
    path("<slug:slug>/posts/<int:pk>/accept/", topics.accept, name="accept"),
    path("<slug:slug>/products/", catalogue.product_list, name="products"),
    path("<slug:slug>/products/new/", catalogue.product_form, name="product_create"),
    path("<slug:slug>/products/<slug:product>/", catalogue.product_detail, name="product"),
    path("<slug:slug>/products/<slug:product>/edit/", catalogue.product_form, name="product_edit"),
    path("<slug:slug>/products/<slug:product>/review/", catalogue.review_save, name="review_save"),
    path("<slug:slug>/reviews/<int:pk>/feature/", catalogue.review_feature, name="review_feature"),
    path("<slug:slug>/gallery/", photos.gallery, name="gallery"),
    path("<slug:slug>/photos/new/", photos.photo_upload, name="photo_upload"),
    path("<slug:slug>/photos/<int:pk>/", photos.photo_detail, name="photo"),
    path("<slug:slug>/photos/<int:pk>/delete/", deletion.photo_delete, name="photo_delete"),
    path("<slug:slug>/photos/<int:pk>/feature/", photos.photo_feature, name="photo_feature"),
    path("<slug:slug>/report/<str:target_type>/<int:pk>/", moderation.report, name="report"),
    path("<slug:slug>/moderation/", moderation.queue, name="moderation"),
    path(
        "<slug:slug>/hidden/<str:target_type>/<int:pk>/review/",
        moderation.ask_review,
        name="ask_review",
    ),
    path(
        "<slug:slug>/moderation/<str:target_type>/<int:pk>/<str:action>/",
        moderation.act,
        name="moderate",
    ),
    path("<slug:slug>/members/<str:username>/", members.member_profile, name="member"),
]
