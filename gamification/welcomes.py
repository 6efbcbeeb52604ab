"""First-action welcomes: a one-time bonus and a thank-you for a member's firsts.

A member's very first contribution in a community earns the first-contribution bonus (fixed
key), and that bonus is the welcome of its kind. A later first of another kind (first review
after a first post) earns that kind's ``welcome.*`` row, keyed
``welcome:<action>:<community>:<member>``. A completed profile is welcomed once per community.
Subscribed to ``hooks.on_award_applied`` in ``GamificationConfig.ready()``.
"""

from django.db import transaction

from gamification import actions, hooks
from gamification import recognitions as rec
from gamification.awards import award_applied, award_key
from gamification.models import LedgerEntry
from tenancy.models import Community


def on_award_applied(applied: hooks.AppliedAward) -> None:
    """A member's first contribution of a kind: the first-contribution bonus or a welcome."""
    if applied.count != 1 or applied.action not in actions.CONTRIBUTIONS:
        return
    member, community, recognitions = applied.member, applied.community, applied.recognitions
    first, first_entry_id = award_applied(
        member,
        community,
        actions.FIRST_CONTRIBUTION,
        applied.obj,
        at=applied.at,
        hold=applied.hold,
    )
    recognitions.extend(first)
    kind = actions.WELCOME_FOR_CONTRIBUTION[applied.action]
    if first_entry_id is not None:
        # The first-contribution bonus is this kind's welcome: thank, don't pay twice.
        _thank(recognitions, member, community, kind, first_entry_id)
    elif kind != _kind_of_first_contribution(member, community):
        recognitions.extend(
            welcome(member, community, kind, applied.obj, at=applied.at, hold=applied.hold)
        )


def welcome(member, community, action: str, obj, *, at=None, hold=False) -> rec.Recognitions:
    """A one-time welcome bonus and a thank-you, once per member, community and kind.

    The key names only the kind, the community and the member: a second "first" (after the
    first post was hidden or deleted, or a double submit racing the first) writes nothing.
    Its source is the contribution, so hiding that contribution reverses the bonus with it.
    """
    key = f"welcome:{action}:{community.pk}:{member.pk}"
    recognitions, entry_id = award_applied(
        member, community, action, obj, key=key, at=at, hold=hold
    )
    if entry_id is not None:
        _thank(recognitions, member, community, action, entry_id)
    return recognitions


def _thank(recognitions, member, community, action: str, entry_id: int) -> None:
    """The thank-you notification for a welcome (``action`` names the kind welcomed)."""
    points = LedgerEntry.objects.filter(pk=entry_id).values_list("points", flat=True)
    recognitions.add(
        rec.WELCOME,
        user_id=member.pk,
        community_id=community.pk,
        action=action,
        what=actions.WELCOME_WHAT[action],
        community=community.name,
        points=points.get(),
        url=community.get_absolute_url(),
    )


def _kind_of_first_contribution(member, community) -> str | None:
    """The welcome kind the member's very first contribution here was (its bonus welcomed it).

    The first-contribution row shares its source with the contribution that earned it.
    """
    first = LedgerEntry.objects.filter(
        key=award_key(member, community, actions.FIRST_CONTRIBUTION, None)
    ).first()
    if first is None:
        return None
    action = (
        LedgerEntry.objects.filter(
            member=member,
            community=community,
            source_type_id=first.source_type_id,
            source_id=first.source_id,
            action__in=actions.WELCOME_FOR_CONTRIBUTION,
        )
        .values_list("action", flat=True)
        .first()
    )
    return actions.WELCOME_FOR_CONTRIBUTION.get(action)


def profile_is_complete(member) -> bool:
    """A completed profile: a display name, a bio and an avatar."""
    return bool(member.first_name.strip() and member.bio.strip() and member.avatar)


def record_profile_completed(*, member, community: Community | None = None) -> rec.Recognitions:
    """Welcome a completed profile once in each community the member belongs to.

    Called when the member saves their profile (every community) and when they join one
    (that community only); does nothing while the profile is incomplete.
    """
    recognitions = rec.Recognitions()
    if not profile_is_complete(member):
        return recognitions
    communities = Community.objects.filter(memberships__user=member)
    if community is not None:
        communities = communities.filter(pk=community.pk)
    with transaction.atomic():
        for joined in communities.order_by("pk"):
            recognitions.extend(welcome(member, joined, actions.WELCOME_PROFILE, member))
        hooks.publish_on_commit(recognitions)
    return recognitions
