"""Wagtail admin registrations: the engine's per-community configuration as snippets, and the
engagement dashboard."""

from django import forms
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms import views
from cms.access import managed_pages
from cms.snippets import (
    CommunityConfigForm,
    CommunityConfigPolicy,
    CommunityConfigViewSet,
    NoDeletePolicy,
)
from community.models import Product
from gamification import actions
from gamification.models import Badge, CommunityGameSettings, Level, PointRule
from tenancy.access import managed_community_ids

ACTION_CHOICES = sorted(actions.LABELS.items(), key=lambda item: item[1])

for model in (Badge, PointRule, Level):
    register_permission_policy(model, CommunityConfigPolicy(model), exact_class=True)
for model in (Product, CommunityGameSettings):
    register_permission_policy(model, NoDeletePolicy(model), exact_class=True)


class BadgeViewSet(CommunityConfigViewSet):
    model = Badge
    icon = "pick"
    menu_label = "Badges"
    list_display = ["name", "community", "criterion", "bronze", "silver", "gold"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("icon")]),
            FieldPanel("description"),
            FieldRowPanel(
                [
                    FieldPanel("criterion"),
                    FieldPanel("action", widget=forms.Select(choices=[("", "—"), *ACTION_CHOICES])),
                ]
            ),
            FieldRowPanel([FieldPanel("bronze"), FieldPanel("silver"), FieldPanel("gold")]),
        ],
        base_form_class=CommunityConfigForm,
    )


class PointRuleViewSet(CommunityConfigViewSet):
    model = PointRule
    icon = "plus-inverse"
    menu_label = "Point rules"
    list_display = ["action", "community", "points", "daily_cap"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldPanel("action", widget=forms.Select(choices=ACTION_CHOICES)),
            FieldRowPanel([FieldPanel("points"), FieldPanel("daily_cap")]),
        ],
        base_form_class=CommunityConfigForm,
    )


class LevelViewSet(CommunityConfigViewSet):
    model = Level
    icon = "order"
    menu_label = "Levels"
    list_display = ["name", "community", "min_points"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("min_points")]),
            FieldRowPanel([FieldPanel("flair"), FieldPanel("early_access_hours")]),
        ],
        base_form_class=CommunityConfigForm,
    )


class LoyaltySettingsViewSet(CommunityConfigViewSet):
    """One row per community: pending points, expiry, referral cap, staff on boards."""

    model = CommunityGameSettings
    icon = "cogs"
    menu_label = "Loyalty settings"
    list_display = ["community", "pending_days", "expiry_months", "referral_monthly_cap"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldRowPanel([FieldPanel("pending_days"), FieldPanel("expiry_months")]),
            FieldPanel("referral_monthly_cap"),
            FieldPanel("staff_on_boards"),
        ],
        base_form_class=CommunityConfigForm,
    )


class GameRulesGroup(SnippetViewSetGroup):
    menu_label = "Game rules"
    menu_icon = "pick"
    menu_order = 300
    items = (BadgeViewSet, PointRuleViewSet, LevelViewSet, LoyaltySettingsViewSet)


register_snippet(GameRulesGroup)


class ProductViewSet(CommunityConfigViewSet):
    """The catalogue members review and challenges can target; retired, never deleted."""

    model = Product
    icon = "doc-full"
    menu_label = "Products"
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["name", "community", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "summary"]
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldPanel("summary"),
            FieldPanel("description"),
            FieldPanel("is_active"),
        ],
        base_form_class=CommunityConfigForm,
    )


register_snippet(ProductViewSet)


class DashboardMenuItem(MenuItem):
    """Shown to superusers and to brand managers (who see their own communities only)."""

    def is_shown(self, request):
        return request.user.is_superuser or bool(managed_community_ids(request.user))


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("engagement/", views.dashboard_index, name="cms_dashboard_index"),
        path("engagement/<slug:slug>/", views.dashboard, name="cms_dashboard"),
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        "Engagement", reverse("cms_dashboard_index"), icon_name="view", order=250
    )


@hooks.register("construct_page_chooser_queryset")
def only_managed_pages(pages, request):
    """Page chooser browsing and search: a brand manager sees their own communities' pages."""
    return managed_pages(pages, request.user)
