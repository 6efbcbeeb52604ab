"""Per-community configuration of the engine (badges, point rules, levels) as Wagtail snippets.

A brand manager sees, creates and edits only rows of the communities they manage; superusers see
every row. Three layers enforce it: the permission policy (every Wagtail permission check, e.g.
menus, listings and bulk actions, goes through it), the views (an object of another community is
a 404, whatever the URL), and the form (the community field offers only managed communities, so
posting another community's id is a form error).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from tenancy.access import can_manage, managed_community_ids
from tenancy.models import Membership

ACTIONS = frozenset({"add", "change", "delete", "view"})


class CommunityConfigPolicy(BasePermissionPolicy):
    """Brand managers may act on rows of their own communities; superusers on all rows."""

    actions = ACTIONS

    def user_has_permission(self, user, action):
        if action not in self.actions or not user.is_active:
            return False
        return user.is_superuser or bool(managed_community_ids(user))

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return get_user_model().objects.none()
        managers = Membership.objects.filter(role=Membership.Role.BRAND_MANAGER)
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(pk__in=managers.values("user_id")), is_active=True
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and can_manage(user, instance.community_id)

    def instances_user_has_any_permission_for(self, user, actions):
        rows = self.model._default_manager.all()
        if not user.is_active or not self.actions & set(actions):
            return rows.none()
        return (
            rows if user.is_superuser else rows.filter(community_id__in=managed_community_ids(user))
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        managers = Membership.objects.filter(
            role=Membership.Role.BRAND_MANAGER, community_id=instance.community_id
        )
        return self.users_with_any_permission(actions).filter(
            Q(is_superuser=True) | Q(pk__in=managers.values("user_id"))
        )


class NoDeletePolicy(CommunityConfigPolicy):
    """For rows that history hangs on (products: their reviews, photos and challenges), which
    are retired (``is_active``) rather than deleted."""

    actions = ACTIONS - {"delete"}


class CommunityConfigForm(WagtailAdminModelForm):
    """Offers only the communities the editing user manages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("community")
        user = self.for_user
        if field is not None and user is not None and not user.is_superuser:
            field.queryset = field.queryset.filter(pk__in=managed_community_ids(user))


class ScopedObjectMixin:
    """A row of a community the user doesn't manage is not found, on every per-object view."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not can_manage(self.request.user, obj.community_id):
            raise Http404
        return obj


def _scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (ScopedObjectMixin, view_class), {})


def managed_rows(rows, user):
    """``rows`` (with a ``community`` key) narrowed to the communities ``user`` manages."""
    if user.is_superuser:
        return rows
    return rows.filter(community_id__in=managed_community_ids(user))


class ScopedChooseMixin:
    """Chooser listing and search: only rows of the communities the user manages."""

    def get_object_list(self):
        return managed_rows(super().get_object_list(), self.request.user)


class ScopedChosenMixin:
    """Choosing a row by id: another community's row is not found."""

    def get_object(self, pk):
        return managed_rows(self.model_class.objects.all(), self.request.user).get(pk=pk)


class ScopedChosenMultipleMixin:
    def get_objects(self, pks):
        return managed_rows(super().get_objects(pks), self.request.user)


class ScopedSnippetChooserViewSet(chooser_views.SnippetChooserViewSet):
    """The snippet chooser (used by every chooser widget of these models) scoped like the list."""

    choose_view_class = type("ScopedChooseView", (ScopedChooseMixin, chooser_views.ChooseView), {})
    choose_results_view_class = type(
        "ScopedChooseResultsView", (ScopedChooseMixin, chooser_views.ChooseResultsView), {}
    )
    chosen_view_class = type(
        "ScopedChosenView", (ScopedChosenMixin, chooser_views.SnippetChosenView), {}
    )
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView",
        (ScopedChosenMultipleMixin, chooser_views.SnippetChosenMultipleView),
        {},
    )


class CommunityConfigViewSet(SnippetViewSet):
    """A snippet viewset whose rows belong to a community (``community`` foreign key)."""

    chooser_viewset_class = ScopedSnippetChooserViewSet

    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    copy_view_class = _scoped(snippet_views.CopyView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)

    def get_queryset(self, request):
        return managed_rows(self.model._default_manager.select_related("community"), request.user)
