"""Web routes of the rewards app (mounted under /c/)."""

from django.urls import path

from rewards import views

app_name = "rewards"

urlpatterns = [
    path("<slug:slug>/rewards/", views.catalog, name="catalog"),
    path("<slug:slug>/rewards/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("<slug:slug>/rewards/mine/", views.mine, name="mine"),
    path("<slug:slug>/rewards/mine/<int:pk>/", views.redemption_detail, name="redemption"),
    path("<slug:slug>/rewards/mine/flair/", views.choose_flair, name="choose_flair"),
    path("<slug:slug>/rewards/manage/", views.manage, name="manage"),
    path("<slug:slug>/rewards/manage/<int:pk>/fulfil/", views.fulfil, name="fulfil"),
    path("<slug:slug>/rewards/manage/<int:pk>/cancel/", views.cancel, name="cancel"),
]
