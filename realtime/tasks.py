"""realtime's background tasks: e-mailing a notification the member has not seen."""

from core.tasks import retrying
from realtime import notification_mail


@retrying()
def email_notification(notification_id: int) -> bool:
    return notification_mail.send_notification(notification_id)
