"""Joining and leaving a community."""

from django.db import IntegrityError, transaction

from community.services.messages import NOT_A_MEMBER
from core.errors import Invalid
from core.retry import retry_on_conflict
from gamification.referrals import member_joined
from realtime import events
from tenancy.models import Community, Membership

STAFF_CANNOT_LEAVE = "Moderators and brand managers hand over their role before leaving."


@retry_on_conflict
def join_community(*, user, community: Community, referral_code: str = "") -> Membership:
    """Join as a member; joining twice returns the existing membership.

    A new membership is told to the engine (first join, the invite it came through, the
    completed-profile welcome) in the same transaction.
    """
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(user=user, community=community)
            if created:
                member_joined(member=user, community=community, referral_code=referral_code)
    except IntegrityError:
        membership = Membership.objects.get(user=user, community=community)
    return membership


def leave_community(*, user, community: Community) -> None:
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise Invalid(NOT_A_MEMBER)
    if membership.is_staff_role:
        raise Invalid(STAFF_CANNOT_LEAVE)
    membership.delete()
    events.membership_ended(community=community, user_id=user.pk)
