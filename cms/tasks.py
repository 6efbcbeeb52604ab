"""The CMS's background tasks: delivering a challenge announcement to every member, and the
ending-soon reminders (cron runs ``manage.py remind_ending_challenges``, which queues it)."""

from datetime import timedelta

from cms import services
from core.tasks import retrying


@retrying()
def deliver_announcement(challenge_id: int, published_by_id: int | None = None) -> int:
    return services.deliver_announcement(challenge_id=challenge_id, published_by_id=published_by_id)


@retrying()
def remind_ending_challenges(hours: int = 24) -> int:
    return services.remind_ending_challenges(within=timedelta(hours=hours))
