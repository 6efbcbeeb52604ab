"""What an award produced, as plain JSON events for the real-time layer.

Every event is a dict with ``type`` (dotted, e.g. ``points.awarded``), ``v`` (payload version),
``user_id`` (the recipient), ``community_id`` and event-specific fields. Events must survive a
JSON round trip: they travel through the channel layer and into notification rows.
"""

from dataclasses import dataclass, field

POINTS_AWARDED = "points.awarded"
BADGE_EARNED = "badge.earned"
LEVEL_UP = "level.up"
STREAK_MILESTONE = "streak.milestone"
KUDOS_RECEIVED = "kudos.received"
CHALLENGE_PROGRESS = "challenge.progress"
CHALLENGE_COMPLETED = "challenge.completed"
WELCOME = "welcome.earned"
REFERRAL_PAID = "referral.paid"
# The spendable balance: held points became spendable; points expire soon; points expired.
POINTS_RELEASED = "points.released"
POINTS_EXPIRING = "points.expiring"
POINTS_EXPIRED = "points.expired"


@dataclass
class Recognitions:
    """Collects the events one service call produced; published once, after commit."""

    events: list[dict] = field(default_factory=list)

    def add(self, event_type: str, *, user_id: int, community_id: int, **data) -> None:
        self.events.append(
            {"type": event_type, "v": 1, "user_id": user_id, "community_id": community_id, **data}
        )

    def extend(self, other: "Recognitions") -> None:
        self.events.extend(other.events)

    def of_type(self, event_type: str) -> list[dict]:
        return [event for event in self.events if event["type"] == event_type]

    def __bool__(self) -> bool:
        return bool(self.events)
