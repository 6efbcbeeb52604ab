"""Sending e-mail as a background task, with retries (``core.tasks.retrying``).

Mail of the site goes through ``send_mail`` (queue one rendered message after commit) or, from
inside a task that already renders it, ``deliver``. The configured backend sends it: SMTP with
``EMAIL_HOST``, else files under ``var/mail/``. A slow or unreachable mail server never holds
up a request, and a failed send is retried with backoff.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.tasks import retrying


def deliver(
    *, subject: str, text: str, to: list[str], html: str = "", headers: dict | None = None
) -> int:
    """Send one multipart message now (text, plus HTML when given)."""
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@retrying()
def send_email(
    *, subject: str, text: str, to: list[str], html: str = "", headers: dict | None = None
) -> int:
    return deliver(subject=subject, text=text, to=to, html=html, headers=headers)


def send_mail(
    *, subject: str, text: str, to: str, html: str = "", headers: dict | None = None
) -> None:
    """Queue one message to one address (after the caller's transaction commits)."""
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, text=text, to=[to], html=html, headers=headers or {}
        ),
        robust=True,
    )
