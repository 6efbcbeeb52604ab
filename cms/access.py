"""Who may edit what in Wagtail: brand managers, inside their own community only.

Each community gets a Wagtail group, "Brand managers: <name>", with page permissions on the
community's home page subtree (add, change, publish, lock) and with access to the admin. The group
follows the community's memberships: whoever holds the brand-manager role is in it, nobody else.
Moderators and members never reach the editing side. Who manages which community is answered
by ``tenancy.access`` (``can_manage``, ``managed_community_ids``).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page

from cms.models import CommunityHomePage
from tenancy.access import managed_community_ids
from tenancy.models import Community, Membership

PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")


def group_name(community: Community) -> str:
    return f"Brand managers: {community.name}"[:150]


@transaction.atomic
def sync_brand_manager_access(community: Community) -> Group:
    """Make the community's Wagtail group and its members match the brand-manager memberships."""
    group, _ = Group.objects.get_or_create(name=group_name(community))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    home = getattr(community, "home_page", None)
    if home is not None:
        for permission_type in PAGE_PERMISSIONS:
            if not GroupPagePermission.objects.filter(
                group=group, page=home, permission__codename=f"{permission_type}_page"
            ).exists():
                GroupPagePermission.objects.create(
                    group=group, page=home, permission_type=permission_type
                )
    managers = (
        Membership.objects.filter(community=community)
        .brand_managers()
        .values_list("user_id", flat=True)
    )
    group.user_set.set(list(managers))
    return group


def managed_pages(pages, user):
    """``pages`` narrowed to the subtrees of the communities ``user`` manages (all for superusers),
    plus the shared pages above them (the tree and site roots) so the chooser can browse down.

    Used by the page chooser (browse and search), so a brand manager never sees another
    community's page titles.
    """
    if user.is_superuser:
        return pages
    paths = CommunityHomePage.objects.filter(
        community_id__in=managed_community_ids(user)
    ).values_list("path", flat=True)
    inside = Q(pk__in=[])
    above = set()
    for path in paths:
        inside |= Q(path__startswith=path)
        above.update(path[:end] for end in range(Page.steplen, len(path), Page.steplen))
    return pages.filter(inside | Q(path__in=above))
