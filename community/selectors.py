"""Read-side queries for communities and memberships."""

from django.db.models import Count, Q, QuerySet

from community.models import Community, Membership


def visible_communities(user) -> QuerySet[Community]:
    """Communities the user may read: every public one, plus private ones they belong to."""
    visible = Q(is_public=True)
    if user.is_authenticated:
        visible |= Q(id__in=Membership.objects.filter(user=user).values("community_id"))
    return Community.objects.filter(visible).annotate(member_count=Count("memberships"))


def memberships_for(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("community"))


def membership(user, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def staff_of(community: Community) -> list[Membership]:
    return list(
        Membership.objects.filter(community=community)
        .exclude(role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("role", "user__username")
    )
