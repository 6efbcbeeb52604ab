"""The only door for writes to points, badges, levels, streaks, challenges and rewards."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from gamification import recognitions as rec
from gamification.actions import DEFAULT_POINTS
from gamification.models import LedgerEntry
from realtime import events


def _default_key(member, community, action: str, obj) -> str:
    if obj is None:
        raise ValueError("An award without a source object needs an explicit key.")
    ct = ContentType.objects.get_for_model(obj)
    return f"{community.pk}:{member.pk}:{action}:{ct.pk}:{obj.pk}"


def record_action(member, community, action: str, obj, *, actor=None, key=None) -> rec.Recognitions:
    """Append the award for ``action`` to the ledger, once per ``key``.

    Same transaction as the caller; a second call with the same key (a retry or a race)
    writes nothing and returns empty recognitions. What it earned is published after commit.
    """
    key = key or _default_key(member, community, action, obj)
    recognitions = rec.Recognitions()
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                community=community,
                member=member,
                action=action,
                points=DEFAULT_POINTS.get(action, 0),
                source=obj,
                actor=actor,
                key=key,
            )
    except IntegrityError:
        return recognitions
    if entry.points:
        recognitions.add(
            rec.POINTS_AWARDED,
            user_id=member.pk,
            community_id=community.pk,
            points=entry.points,
            action=action,
        )
    events.publish_on_commit(recognitions)
    return recognitions


def reverse_for_object(obj, *, reason: str, actor=None) -> list[LedgerEntry]:
    """Write a reversal row for every not-yet-reversed award whose source is ``obj``."""
    ct = ContentType.objects.get_for_model(obj)
    reversals = []
    with transaction.atomic():
        awards = LedgerEntry.objects.filter(
            source_type=ct, source_id=obj.pk, reverses__isnull=True, reversed_by__isnull=True
        ).select_for_update(of=("self",))
        for award in awards:
            try:
                with transaction.atomic():
                    reversals.append(
                        LedgerEntry.objects.create(
                            community_id=award.community_id,
                            member_id=award.member_id,
                            action=award.action,
                            points=-award.points,
                            source_type=ct,
                            source_id=obj.pk,
                            actor=actor,
                            key=f"reversal:{award.pk}",
                            reverses=award,
                            reason=reason,
                        )
                    )
            except IntegrityError:
                continue
    return reversals


def restore_for_object(obj, *, reason: str, actor=None) -> list[LedgerEntry]:
    """Re-award what ``reverse_for_object`` took back: one new award per reversal, once each."""
    ct = ContentType.objects.get_for_model(obj)
    restored = []
    with transaction.atomic():
        reversals = LedgerEntry.objects.filter(
            source_type=ct, source_id=obj.pk, reverses__isnull=False
        ).select_related("reverses")
        for reversal in reversals:
            original = reversal.reverses
            try:
                with transaction.atomic():
                    restored.append(
                        LedgerEntry.objects.create(
                            community_id=original.community_id,
                            member_id=original.member_id,
                            action=original.action,
                            points=original.points,
                            source_type=ct,
                            source_id=obj.pk,
                            actor=actor,
                            key=f"restore:{reversal.pk}",
                            reason=reason,
                        )
                    )
            except IntegrityError:
                continue
    return restored
