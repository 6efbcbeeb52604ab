"""The one access policy: who may read a community, and who runs it.

Every page, API view, socket and service asks here (or through the query-set methods
``Community.objects.readable_by`` and ``Membership.objects.staff``), so the rules are written
once:

- anyone may read a public community; a private one only its members;
- moderators and brand managers are the community's staff (moderation, recognition by hand);
- brand managers alone edit its pages, catalogue and game rules.

``require_*`` raise ``core.errors.NotAllowed`` with a message for the person who asked.
"""

from django.db.models import QuerySet
from django.db.models.functions import Lower

from accounts.models import User
from core.errors import NotAllowed
from tenancy.models import Community, Membership

NOT_A_MEMBER = "You are not a member of this community."
STAFF_ONLY = "Only moderators and brand managers can do that."
MODERATORS_ONLY = "Only moderators of this community can do that."
BRAND_MANAGERS_ONLY = "Only brand managers of this community can do that."


def readable_communities(user) -> QuerySet[Community]:
    """Communities ``user`` may read."""
    return Community.objects.readable_by(user)


def readable_community(user, slug: str) -> Community | None:
    """The community with ``slug`` if ``user`` may read it, else ``None`` (say 404)."""
    return readable_communities(user).filter(slug=slug).first()


def can_read(user, community: Community) -> bool:
    return community.is_public or membership(user, community) is not None


def membership(user, community: Community) -> Membership | None:
    """``user``'s membership of ``community``, or ``None`` (anonymous users have none)."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def memberships_for(user) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("community"))


def is_member(user, community: Community) -> bool:
    return membership(user, community) is not None


def is_staff(user, community: Community) -> bool:
    """Whether ``user`` is a moderator or brand manager of ``community``."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, community=community).staff().exists()


def is_brand_manager(user, community: Community) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, community=community).brand_managers().exists()


def require_member(user, community: Community) -> Membership:
    found = membership(user, community)
    if found is None:
        raise NotAllowed(NOT_A_MEMBER)
    return found


def require_staff(user, community: Community, *, message: str = STAFF_ONLY) -> Membership:
    found = membership(user, community)
    if found is None or not found.is_staff_role:
        raise NotAllowed(message)
    return found


def require_brand_manager(user, community: Community) -> Membership:
    found = membership(user, community)
    if found is None or found.role != Membership.Role.BRAND_MANAGER:
        raise NotAllowed(BRAND_MANAGERS_ONLY)
    return found


def staff_of(community: Community) -> list[Membership]:
    """The community's moderators and brand managers, by role then name."""
    return list(
        Membership.objects.filter(community=community)
        .staff()
        .select_related("user")
        .order_by("role", "user__username")
    )


def plain_members(community: Community) -> QuerySet[Membership]:
    """Members who are not staff, alphabetical (whom a moderator can recognise by hand)."""
    return (
        Membership.objects.filter(community=community, role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__username")
    )


def managed_community_ids(user) -> frozenset[int]:
    """Ids of the communities ``user`` is a brand manager of (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_managed_community_ids", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user)
            .brand_managers()
            .values_list("community_id", flat=True)
        )
        user._managed_community_ids = cached
    return cached


def can_manage(user, community_id: int) -> bool:
    """Whether ``user`` may edit the community's pages and rules in Wagtail."""
    return user.is_active and (user.is_superuser or community_id in managed_community_ids(user))


def sees_activity(viewer, member_user, community: Community) -> bool:
    """Whether ``viewer`` may see ``member_user``'s activity and progress in ``community``.

    A member who chose "show my activity only to members" shows outsiders (anonymous readers,
    members of other communities) only the profile card; they and site staff see it all.
    """
    if not member_user.activity_members_only:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == member_user.pk or viewer.is_staff or is_member(viewer, community)


def sees_balance(viewer, member_user, community: Community) -> bool:
    """Spendable balance and pending points: the member themself and the community's staff."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == member_user.pk or is_staff(viewer, community)


def readers_named(community: Community, usernames) -> list[User]:
    """The accounts among ``usernames`` (any case) who can read ``community`` as its members.

    What a mention may reach: a member, active and not deleted. A reader of a public community
    who never joined has no profile there, so a mention of them stays plain text.
    """
    wanted = {name.lower() for name in usernames}
    if not wanted:
        return []
    return list(
        User.objects.annotate(lower_name=Lower("username"))
        .filter(
            lower_name__in=wanted,
            is_active=True,
            deleted_at__isnull=True,
            memberships__community=community,
        )
        .only("id", "username")
    )
