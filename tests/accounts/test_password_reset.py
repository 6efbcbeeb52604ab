import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

RESET = "/accounts/password_reset/"


def reset_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/accounts/reset/\S+/)", text).group(1)


def test_login_page_offers_forgot_password(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{RESET}"' in page and "Forgot password?" in page


def test_reset_mail_arrives_over_smtp_and_its_link_sets_a_new_password(
    client, make_user, smtp_inbox, django_capture_on_commit_callbacks
):
    user = make_user("alice", email="alice@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert "Reset your" in message["Subject"]
    html = message.get_body(("html",)).get_content()
    link = reset_link(message)
    assert link in html

    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-42") and not user.check_password(PASSWORD)
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, smtp_inbox, django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert smtp_inbox.messages == []


def test_reset_requests_are_rate_limited_per_address(
    client, make_user, settings, django_capture_on_commit_callbacks
):
    make_user("alice", email="alice@example.com")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_email": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(RESET, {"email": "alice@example.com"}).status_code == 302
        blocked = client.post(RESET, {"email": "alice@example.com"})
    assert blocked.status_code == 200
    assert "too often" in blocked.content.decode()
    assert len(mail.outbox) == 2
