"""Corrections: reversing awards (hidden content, a withdrawn vote, a revoked kudos) and
restoring them, always as new ledger rows.

A reversal is a row of minus the points whose ``reverses`` points at the award it cancels (a
row is reversed at most once, key ``reversal:<award id>``); a restore is a fresh award keyed
``restore:<reversal id>``, so reverse -> restore -> reverse -> restore stays balanced and
idempotent. Reversing an award whose points are still held cancels the hold first. After the
rows are written, ``hooks.on_awards_corrected`` subscribers bring what depends on them in line
(referral payouts, challenge progress) in the same transaction.

Lock order (``docs/architecture.md``): before writing anything, a correction locks the score
rows of every member it will move (the awards' members, and the referrers of a referral payout
that a reversed or restored first contribution takes with it) in ascending member id.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gamification import actions, engine, hooks
from gamification import recognitions as rec
from gamification.awards import award_key, hold_until, source_of
from gamification.balance import end_hold
from gamification.models import LedgerEntry, Referral
from gamification.selectors.ledger import game_settings
from tenancy.models import Community

# Reversals with this reason are final: restoring the content does not give them back.
SERIAL_VOTES_REASON = "Helpful votes one member gave in a quick burst earn no points"
HOLD_CANCELLED_REASON = "Hidden before the points became spendable"


def reverse_action(member, community, action: str, obj, *, reason: str, actor=None):
    """Take back one award (made with the default key), e.g. when a helpful vote is withdrawn."""
    award = LedgerEntry.objects.filter(key=award_key(member, community, action, obj)).first()
    if award is None:
        return []
    return reverse_awards([award], reason=reason, actor=actor)


def reverse_for_object(obj, *, reason: str, actor=None) -> list[LedgerEntry]:
    """Write a reversal row for every not-yet-reversed award whose source is ``obj``."""
    ct_id, obj_id = source_of(obj)
    awards = (
        LedgerEntry.objects.filter(
            source_type_id=ct_id, source_id=obj_id, reverses__isnull=True, reversed_by__isnull=True
        )
        .exclude(action__in=actions.BALANCE_ONLY)
        .order_by("pk")
    )
    return reverse_awards(list(awards), reason=reason, actor=actor)


def reverse_awards(awards: list[LedgerEntry], *, reason: str, actor) -> list[LedgerEntry]:
    """Reverse each of ``awards`` once (the engine primitive behind every correction).

    Returns the reversal rows written, and those the correction subscribers wrote after them.
    """
    at = timezone.now()
    written = []
    communities = Community.objects.in_bulk({award.community_id for award in awards})
    holds = {
        hold.key: hold
        for hold in LedgerEntry.objects.filter(
            key__in=[engine.hold_key(award.pk) for award in awards]
        )
    }
    with transaction.atomic():
        _lock_members(awards, at)
        for award in awards:
            hold = holds.get(engine.hold_key(award.pk))
            if hold is not None:
                end_hold(hold, at=at, reason=HOLD_CANCELLED_REASON)
            entry = engine.Entry(
                action=award.action,
                points=-award.points,
                key=f"reversal:{award.pk}",
                source_type_id=award.source_type_id,
                source_id=award.source_id,
                actor_id=actor.pk if actor is not None else None,
                reverses_id=award.pk,
                reason=reason[:200],
            )
            applied = engine.apply(
                community=communities[award.community_id],
                member_id=award.member_id,
                entry=entry,
                count_delta=-1,
                at=at,
                recognitions=rec.Recognitions(),
            )
            if applied is not None:
                written.append(applied.entry_id)
        reversals = list(LedgerEntry.objects.filter(pk__in=written).order_by("pk"))
        reversals += _corrected(reversals, restored=False, at=at, reason=reason, actor=actor)
    return reversals


def restore_for_object(obj, *, reason: str, actor=None, hold: bool = False) -> list[LedgerEntry]:
    """Re-award what ``reverse_for_object`` took back: one new award per reversal, once each.

    The restored row is a fresh award (``reverses`` is empty), so a later reversal takes it back
    again. ``hold=True`` (the author's own review or photo) holds the points again from now.
    """
    ct_id, obj_id = source_of(obj)
    reversals = (
        LedgerEntry.objects.filter(source_type_id=ct_id, source_id=obj_id, reverses__isnull=False)
        .exclude(reason=SERIAL_VOTES_REASON)
        .exclude(action__in=actions.BALANCE_ONLY)
        .select_related("reverses", "community")
    )
    at = timezone.now()
    written = []
    reversals = list(reversals.order_by("pk"))
    # One object lives in one community: one read of its pending days for every row.
    pending_days = game_settings(reversals[0].community).pending_days if reversals else 0
    with transaction.atomic():
        _lock_members([reversal.reverses for reversal in reversals], at)
        for reversal in reversals:
            original = reversal.reverses
            entry = engine.Entry(
                action=original.action,
                points=original.points,
                key=f"restore:{reversal.pk}",
                source_type_id=original.source_type_id,
                source_id=original.source_id,
                actor_id=actor.pk if actor is not None else None,
                reason=reason[:200],
            )
            applied = engine.apply(
                community=reversal.community,
                member_id=original.member_id,
                entry=entry,
                count_delta=1,
                at=at,
                recognitions=rec.Recognitions(),
                hold_until=hold_until(original.action, hold=hold, at=at, pending_days=pending_days),
            )
            if applied is not None:
                written.append(applied.entry_id)
        restored = list(LedgerEntry.objects.filter(pk__in=written).order_by("pk"))
        restored += _corrected(restored, restored=True, at=at, reason=reason, actor=actor)
    return restored


def _lock_members(awards: list[LedgerEntry], at) -> None:
    """Lock the score rows of every member of ``awards`` (and their referrers) in ascending id."""
    members: dict[int, set[int]] = {}
    firsts = Q()
    for award in awards:
        members.setdefault(award.community_id, set()).add(award.member_id)
        if award.action == actions.FIRST_CONTRIBUTION:
            firsts |= Q(community_id=award.community_id, newcomer_id=award.member_id)
    if firsts:
        paid = Referral.objects.filter(firsts, paid_at__isnull=False)
        for community_id, referrer_id in paid.values_list("community_id", "referrer_id"):
            members[community_id].add(referrer_id)
    for community_id in sorted(members):
        engine.lock_scores(community_id=community_id, member_ids=members[community_id], at=at)


def _corrected(entries, *, restored: bool, at, reason: str, actor) -> list[LedgerEntry]:
    """Run the correction subscribers; a member completing again is told after commit."""
    if not entries:
        return []
    recognitions = rec.Recognitions()
    further = hooks.awards_corrected(
        hooks.Correction(
            entries=entries,
            restored=restored,
            at=at,
            reason=reason,
            actor=actor,
            recognitions=recognitions,
        )
    )
    hooks.publish_on_commit(recognitions)
    return further
