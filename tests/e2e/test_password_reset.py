"""Forgot password? -> the reset mail reaches a real SMTP server -> its link sets a new password."""

import re

import pytest

from tests import mail_server
from tests.e2e.conftest import (
    login,
    screenshot,
    start_daphne,
    stop,
    wait_for_server_sessions_to_end,
)
from tests.factories import UserFactory


@pytest.fixture
def smtp_and_server(live_server_env):
    controller, inbox = mail_server.start()
    env = {
        **live_server_env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "SITE_URL": "http://127.0.0.1",
    }
    proc, url = start_daphne(env)
    yield inbox, url
    stop(proc)
    controller.stop()
    wait_for_server_sessions_to_end()


def test_forgot_password_mail_link_sets_a_password_that_logs_in(smtp_and_server, new_page):
    inbox, server = smtp_and_server
    UserFactory(username="alice", email="alice@example.com")

    page = new_page()
    page.goto(f"{server}/accounts/login/")
    page.get_by_role("link", name="Forgot password?").click()
    page.wait_for_url(f"{server}/accounts/password_reset/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send me the link").click()
    page.wait_for_url(f"{server}/accounts/password_reset/done/")
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()

    [message] = inbox.wait_for(1, timeout=20)
    assert message["To"] == "alice@example.com"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/accounts/reset/\S+/)", text).group(1)
    assert link.startswith(server)

    page.goto(link)
    page.get_by_label("New password", exact=True).fill("fresh-start-2026")
    page.get_by_label("New password confirmation").fill("fresh-start-2026")
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url(f"{server}/accounts/reset/done/")
    screenshot(page, "password-reset-done")

    login(page, server, "alice", "fresh-start-2026")
    assert page.locator('summary[aria-label="Account menu for alice"]').is_visible()
