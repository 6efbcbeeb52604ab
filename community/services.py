"""Writes for communities and memberships."""

from django.db import IntegrityError, transaction

from community.models import Community, Membership

NOT_A_MEMBER = "You are not a member of this community."
STAFF_CANNOT_LEAVE = "Moderators and brand managers hand over their role before leaving."


class CommunityError(Exception):
    pass


def join_community(*, user, community: Community) -> Membership:
    """Join as a member; joining twice returns the existing membership."""
    try:
        with transaction.atomic():
            membership, _ = Membership.objects.get_or_create(user=user, community=community)
    except IntegrityError:
        membership = Membership.objects.get(user=user, community=community)
    return membership


def leave_community(*, user, community: Community) -> None:
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise CommunityError(NOT_A_MEMBER)
    if membership.is_staff_role:
        raise CommunityError(STAFF_CANNOT_LEAVE)
    membership.delete()
