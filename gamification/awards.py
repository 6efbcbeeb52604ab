"""Awards: the engine's one door for earning points.

``record_action`` is the public entry every contribution goes through. It applies one ledger
row through ``engine.apply`` (aggregates, badges, levels, streaks in the same transaction),
then runs the ``hooks.on_award_applied`` subscribers (welcomes, referrals, challenge progress)
inside that transaction, and publishes what it all produced after commit. ``award`` does the
same without publishing, for composite services that publish once at their end.
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from gamification import actions, engine, hooks
from gamification import recognitions as rec
from gamification.models import Referral
from gamification.setup import rule_for

UNKNOWN_ACTION = "Unknown action: {action}"


def source_of(obj) -> tuple[int | None, int | None]:
    """The (content type id, id) an award of ``obj`` is stored with."""
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj).pk, obj.pk


def award_key(member, community, action: str, obj) -> str:
    """The default idempotency key of ``member``'s award for ``action`` on ``obj``."""
    if action == actions.FIRST_CONTRIBUTION:
        return f"first:{community.pk}:{member.pk}"
    if obj is None:
        raise ValueError("An award without a source object needs an explicit key.")
    ct_id, obj_id = source_of(obj)
    return f"{community.pk}:{member.pk}:{action}:{ct_id}:{obj_id}"


def hold_until(action: str, *, hold: bool, at: datetime, pending_days: int) -> datetime | None:
    """When an award's points become spendable, if the community holds them for a while.

    Content asks for a hold (``hold=True``) for its author's own points from a review or a
    photo; what others give (a feature, kudos) is never held.
    """
    if not (hold and pending_days) or action in actions.RECEIVED_FROM_OTHERS:
        return None
    return at + timedelta(days=pending_days)


def lock_members(community, member_ids, *, at: datetime | None = None) -> None:
    """Lock the score rows of every member a composite service will move, in the one order
    (ascending member id; ``docs/architecture.md``, "Lock order"), before it moves any."""
    engine.lock_scores(community_id=community.pk, member_ids=member_ids, at=at or timezone.now())


def _referrer_to_pay(member, community) -> int | None:
    """The referrer a contribution of ``member`` may pay (an unpaid referral: the member has not
    contributed yet), so both score rows are locked in order before the award."""
    return (
        Referral.objects.filter(community=community, newcomer=member, paid_at__isnull=True)
        .values_list("referrer_id", flat=True)
        .first()
    )


def record_action(
    member, community, action: str, obj, *, actor=None, key=None, hold=False, points=None
) -> rec.Recognitions:
    """Award ``member`` for ``action`` on ``obj`` in ``community``, once per ``key``.

    Runs in the caller's transaction. A second call with the same key (a retry or a race) writes
    nothing and returns empty recognitions, and so does an award for something received from
    others when ``actor`` is the member (voting one's own answer helpful). What the award earned
    (points, badge tiers, a level, a streak milestone, welcomes, challenge progress) is returned
    and published after commit. ``hold=True`` holds the points for the community's pending days.
    ``points`` overrides the rule's points (a purchase earns the rule's points per currency unit).
    """
    recognitions = award(
        member, community, action, obj, actor=actor, key=key, hold=hold, points=points
    )
    hooks.publish_on_commit(recognitions)
    return recognitions


def award(
    member, community, action, obj, *, actor=None, key=None, at=None, points=None, hold=False
) -> rec.Recognitions:
    """``record_action`` without publishing: seeding and composite services use it."""
    recognitions, _entry_id = award_applied(
        member, community, action, obj, actor=actor, key=key, at=at, points=points, hold=hold
    )
    return recognitions


def award_applied(
    member, community, action, obj, *, actor=None, key=None, at=None, points=None, hold=False
) -> tuple[rec.Recognitions, int | None]:
    """``award`` that also returns the new ledger row's id (``None``: the key was used)."""
    if action not in actions.LABELS:
        raise ValueError(UNKNOWN_ACTION.format(action=action))
    recognitions = rec.Recognitions()
    if action in actions.RECEIVED_FROM_OTHERS and actor is not None and actor.pk == member.pk:
        return recognitions, None
    if action == actions.FIRST_CONTRIBUTION or key is None:
        key = award_key(member, community, action, obj)
    at = at or timezone.now()
    rule_points, cap, pending_days = rule_for(community, action)
    ct_id, obj_id = source_of(obj)
    entry = engine.Entry(
        action=action,
        points=rule_points if points is None else points,
        key=key,
        source_type_id=ct_id,
        source_id=obj_id,
        actor_id=actor.pk if actor is not None else None,
    )
    with transaction.atomic():
        referrer = _referrer_to_pay(member, community) if action in actions.CONTRIBUTIONS else None
        if referrer is not None:
            # A first contribution pays the referral under both locks: take them in order now.
            engine.lock_scores(community_id=community.pk, member_ids=[member.pk, referrer], at=at)
        applied = engine.apply(
            community=community,
            member_id=member.pk,
            entry=entry,
            count_delta=1,
            at=at,
            recognitions=recognitions,
            daily_cap=cap,
            contribution=action in actions.CONTRIBUTIONS,
            hold_until=hold_until(action, hold=hold, at=at, pending_days=pending_days),
        )
        if applied is None:
            return recognitions, None
        hooks.award_applied(
            hooks.AppliedAward(
                member=member,
                community=community,
                action=action,
                obj=obj,
                at=at,
                entry_id=applied.entry_id,
                count=applied.count,
                hold=hold,
                recognitions=recognitions,
            )
        )
    return recognitions, applied.entry_id
