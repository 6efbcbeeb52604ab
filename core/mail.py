"""Sending e-mail as a background task, with retries (``core.tasks.retrying``).

Every mail of the site goes through ``send_mail``: the caller renders it, the task sends it
through the configured backend (SMTP with ``EMAIL_HOST``, else files under ``var/mail/``),
so a slow or unreachable mail server never holds up a request and a failed send is retried.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.tasks import retrying


@retrying()
def send_email(
    *, subject: str, text: str, to: list[str], html: str = "", headers: dict | None = None
) -> int:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_mail(
    *, subject: str, text: str, to: str, html: str = "", headers: dict | None = None
) -> None:
    """Queue one message to one address (after the caller's transaction commits)."""
    subject = " ".join(subject.split())
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, text=text, to=[to], html=html, headers=headers or {}
        ),
        robust=True,
    )
