"""The spendable balance: locking it, spending, refunds and the end of a hold.

Every change is an appended ledger row from ``actions.BALANCE_ONLY``; lifetime points, boards,
counts and badges ignore those rows. Each function runs in the caller's transaction under the
member's score lock, so concurrent spends, refunds, releases and expiries are serialised. The
score row comes after content and the member's own rows and before challenge progress and
rewards in the lock order of ``docs/architecture.md``; a caller moving several members' points
locks them first with ``awards.lock_members``.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import Invalid
from gamification import actions, engine
from gamification.awards import source_of
from gamification.models import LedgerEntry

NOT_ENOUGH_POINTS = "You don't have enough points for this."


def lock_balance(*, member, community) -> tuple[int, int]:
    """Lock the member's score row for this transaction; returns (lifetime, balance).

    Everything done after it in the same transaction (checks, spends, vote counting) is
    serialised with every other award or spend of this member in this community.
    """
    return engine.locked_balance(community_id=community.pk, member_id=member.pk, at=timezone.now())


def spend_points(
    *, member, community, points: int, key: str, source, at: datetime | None = None
) -> LedgerEntry | None:
    """Spend ``points`` of the member's balance (lifetime never drops), once per ``key``.

    Runs in the caller's transaction and locks the member's score row first, so concurrent
    spends are serialised and the balance never goes negative. Returns ``None`` when ``key``
    was already used. Raises ``Invalid(NOT_ENOUGH_POINTS)``.
    """
    if points <= 0:
        raise ValueError("Spending needs a positive number of points.")
    at = at or timezone.now()
    with transaction.atomic():
        _lifetime, balance = engine.locked_balance(
            community_id=community.pk, member_id=member.pk, at=at
        )
        if LedgerEntry.objects.filter(key=key).exists():
            return None
        if balance < points:
            raise Invalid(NOT_ENOUGH_POINTS)
        ct_id, obj_id = source_of(source)
        entry = engine.Entry(
            action=actions.REWARD_SPENT,
            points=-points,
            key=key,
            source_type_id=ct_id,
            source_id=obj_id,
        )
        entry_id = engine.move_balance(
            community_id=community.pk, member_id=member.pk, entry=entry, at=at, active=True
        )
    return LedgerEntry.objects.get(pk=entry_id)


def refund_points(*, spend: LedgerEntry, reason: str, actor=None) -> LedgerEntry | None:
    """Give back a spend through a reversal row (balance only); ``None`` if already refunded."""
    if spend.action not in actions.SPENDING or spend.reverses_id is not None:
        raise ValueError("Only a spend can be refunded.")
    at = timezone.now()
    with transaction.atomic():
        engine.locked_balance(community_id=spend.community_id, member_id=spend.member_id, at=at)
        entry = engine.Entry(
            action=spend.action,
            points=-spend.points,
            key=f"reversal:{spend.pk}",
            source_type_id=spend.source_type_id,
            source_id=spend.source_id,
            actor_id=actor.pk if actor is not None else None,
            reverses_id=spend.pk,
            reason=reason[:200],
        )
        entry_id = engine.move_balance(
            community_id=spend.community_id, member_id=spend.member_id, entry=entry, at=at
        )
    return None if entry_id is None else LedgerEntry.objects.get(pk=entry_id)


def end_hold(hold: LedgerEntry, *, at: datetime, reason: str) -> int:
    """Release or cancel a hold on pending points (a reversal of the hold), at most once;
    returns the points moved back to the balance.

    Both a release and a cancellation use the key ``release:<hold id>``, so whichever comes
    first wins and the other writes nothing (0). Runs in the caller's transaction, under the
    member's score lock.
    """
    if hold.action != actions.POINTS_HELD or hold.reverses_id is not None:
        raise ValueError("Only a hold can be released.")
    engine.lock_score(community_id=hold.community_id, member_id=hold.member_id, at=at)
    entry = engine.Entry(
        action=actions.POINTS_HELD,
        points=-hold.points,
        key=f"release:{hold.pk}",
        reverses_id=hold.pk,
        reason=reason,
    )
    entry_id = engine.move_balance(
        community_id=hold.community_id,
        member_id=hold.member_id,
        entry=entry,
        at=at,
        pending_delta=hold.points,
    )
    return 0 if entry_id is None else entry.points
