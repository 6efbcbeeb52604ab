"""A real SMTP server on localhost for tests (aiosmtpd), and settings that send mail to it."""

import email
import socket
import time
from email.message import Message
from email.policy import default

from aiosmtpd.controller import Controller

# The SMTP test ports of this project's test runs.
PORTS = range(8025, 8030)


class Inbox:
    """aiosmtpd handler keeping every received message (``email.message.EmailMessage``)."""

    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_smtp_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free SMTP test port in {PORTS.start}-{PORTS.stop - 1}")


def start() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_smtp_port())
    controller.start()
    return controller, inbox


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
