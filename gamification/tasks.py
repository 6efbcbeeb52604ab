"""The engine's scheduled jobs as background tasks (cron runs the management commands, which
enqueue these). Each returns its summary as a dict so a command can print it when the backend
ran it at once."""

from dataclasses import asdict

from core.tasks import retrying
from gamification import upkeep


@retrying()
def release_pending_points() -> dict:
    return asdict(upkeep.release_due_points())


@retrying()
def expire_points() -> dict:
    """Send the two-week notices first, then expire the balances whose notice ran out."""
    return {
        "notices": asdict(upkeep.send_expiry_notices()),
        "expired": asdict(upkeep.expire_idle_points()),
    }
