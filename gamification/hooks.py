"""The engine's extension points: what apps above it subscribe to, in ``AppConfig.ready()``.

The engine never imports the apps that react to it. It calls these registries instead:

- ``on_award_applied(fn)``: ``fn(award: AppliedAward)`` runs inside the award's transaction,
  right after a new ledger row was applied (the member's score row is locked). Welcomes and
  referrals (this app) and challenge progress (``cms``) subscribe. Subscribers add what they
  produce to ``award.recognitions``; they run in registration order (this app's first, then
  by ``INSTALLED_APPS``).
- ``on_awards_corrected(fn)``: ``fn(correction: Correction)`` runs inside the transaction that
  reversed or restored awards (hidden or restored content, a revoked kudos). It may return
  further ledger rows it wrote (a referral payout reversed with its first contribution).
- ``set_publisher(publisher)``: the one object that publishes recognitions after commit and
  refreshes open leaderboards (``realtime``). Without one (a management shell), nothing is
  pushed and nothing fails.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from gamification import recognitions as rec

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppliedAward:
    """A ledger row the engine just wrote for ``member``'s ``action`` on ``obj``."""

    member: object
    community: object
    action: str
    obj: object
    at: datetime
    entry_id: int
    #: How many of ``action`` the member now has in this community (1: their first).
    count: int
    #: Whether the award's points are held before they become spendable (content passes it).
    hold: bool
    recognitions: rec.Recognitions


@dataclass(frozen=True)
class Correction:
    """Reversal (``restored=False``) or restore rows the engine just wrote."""

    entries: list
    restored: bool
    at: datetime
    reason: str
    actor: object
    recognitions: rec.Recognitions


class Publisher(Protocol):
    def publish_on_commit(self, recognitions: rec.Recognitions) -> None: ...

    def leaderboard_changed(self, community_id: int) -> None: ...


_award_applied: list[Callable[[AppliedAward], None]] = []
_awards_corrected: list[Callable[[Correction], list | None]] = []
_publisher: list[Publisher] = []


def on_award_applied(fn: Callable[[AppliedAward], None]) -> None:
    if fn not in _award_applied:
        _award_applied.append(fn)


def on_awards_corrected(fn: Callable[[Correction], list | None]) -> None:
    if fn not in _awards_corrected:
        _awards_corrected.append(fn)


def set_publisher(publisher: Publisher) -> None:
    _publisher[:] = [publisher]


def award_applied(award: AppliedAward) -> None:
    for fn in _award_applied:
        fn(award)


def awards_corrected(correction: Correction) -> list:
    """Run the correction subscribers; returns the further rows they wrote."""
    further = []
    for fn in _awards_corrected:
        further += fn(correction) or []
    return further


def publish_on_commit(recognitions: rec.Recognitions) -> None:
    if recognitions and _publisher:
        _publisher[0].publish_on_commit(recognitions)
    elif recognitions:
        logger.debug("no publisher registered: %d events not pushed", len(recognitions.events))


def leaderboard_changed(community_id: int) -> None:
    if _publisher:
        _publisher[0].leaderboard_changed(community_id)
