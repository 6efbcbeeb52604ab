import re

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from notifications.models import Notification

from gamification import recognitions as rec
from realtime import events, notification_mail
from realtime.models import CommunityMute, EmailPreference


@pytest.fixture
def alice(make_member):
    member = make_member("alice")
    member.email = "alice@example.com"
    member.save(update_fields=["email"])
    return member


@pytest.fixture
def notify(community, django_capture_on_commit_callbacks):
    """Store one notification the way services do (publish_on_commit), commit callbacks run."""

    def send(user, kind=rec.KUDOS_RECEIVED, **data):
        recognitions = rec.Recognitions()
        recognitions.add(kind, user_id=user.pk, community_id=community.pk, **data)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.publish_on_commit(recognitions)
        return Notification.objects.filter(recipient=user).latest("id")

    return send


@pytest.fixture
def at_once(settings):
    settings.EMAIL_NOTIFY_AFTER_SECONDS = 0
    settings.SITE_URL = "http://testserver"


@pytest.mark.parametrize(
    "kind", [rec.KUDOS_RECEIVED, "reply.received", "mention.received", "answer.accepted"]
)
def test_unread_notification_is_mailed_over_smtp_with_both_parts_and_unsubscribe_headers(
    kind, alice, community, notify, smtp_inbox, at_once
):
    community.name, community.accent_color = "Roasters Club", "#aa3311"
    community.save()
    notify(alice, kind, points=5, message="Great photo", url="/c/roasters/")
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == alice.email
    assert "Roasters Club" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://testserver/c/roasters/" in text and "Roasters Club" in text
    assert "#aa3311" in html and "Roasters Club" in html
    header = "".join(str(message["List-Unsubscribe"]).split())
    url = re.fullmatch(r"<(http://testserver/notifications/unsubscribe/[^>]+/)>", header)
    assert url and url.group(1) in text and url.group(1) in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_points_notifications_are_not_mailed(alice, notify, smtp_inbox, at_once):
    notify(alice, rec.POINTS_AWARDED, points=5)
    assert smtp_inbox.wait_for(1, timeout=0.5) == []


def test_the_task_waits_and_a_notification_read_meanwhile_is_not_mailed(
    alice, notify, smtp_inbox, settings, task_queue
):
    settings.EMAIL_NOTIFY_AFTER_SECONDS = 600
    seen = notify(alice, rec.BADGE_EARNED, badge="Photographer")
    unseen = notify(alice, rec.BADGE_EARNED, badge="Reviewer")
    queued = DBTaskResult.objects.filter(task_path="realtime.tasks.email_notification")
    assert [q.args_kwargs["args"] for q in queued.order_by("enqueued_at")] == [
        [seen.pk],
        [unseen.pk],
    ]
    assert all(q.run_after > seen.timestamp for q in queued)
    task_queue()
    assert smtp_inbox.messages == []  # not due yet

    seen.mark_as_read()
    queued.update(run_after=seen.timestamp)
    task_queue()
    [message] = smtp_inbox.wait_for(1)
    assert "Reviewer" in message["Subject"]
    assert smtp_inbox.wait_for(2, timeout=0.5) == [message]


def test_preference_off_and_muted_communities_are_not_mailed(
    alice, community, notify, smtp_inbox, at_once
):
    EmailPreference.objects.create(user=alice, kudos=False)
    notify(alice, rec.KUDOS_RECEIVED)
    CommunityMute.objects.create(user=alice, community=community)
    notify(alice, rec.BADGE_EARNED, badge="Photographer")
    assert smtp_inbox.wait_for(1, timeout=0.5) == []


def test_one_click_unsubscribe_post_turns_the_kind_off_without_login(
    alice, notify, smtp_inbox, at_once, client
):
    notify(alice, rec.BADGE_EARNED, badge="Photographer")
    [message] = smtp_inbox.wait_for(1)
    header = "".join(str(message["List-Unsubscribe"]).split())
    path = header.strip("<>").removeprefix("http://testserver")

    page = client.get(path)  # a GET (a mail scanner) only asks
    assert page.status_code == 200 and "Stop these e-mails?" in page.content.decode()
    assert not EmailPreference.objects.filter(user=alice).exists()

    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "unsubscribed" in response.content.decode()
    preference = EmailPreference.objects.get(user=alice)
    assert (preference.badges, preference.kudos) == (False, True)

    notify(alice, rec.BADGE_EARNED, badge="Reviewer")
    assert smtp_inbox.wait_for(2, timeout=0.5) == [message]


def test_forged_unsubscribe_token_is_refused(alice, client):
    token = notification_mail.unsubscribe_token(alice.pk, "badges")
    response = client.post(f"/notifications/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert not EmailPreference.objects.filter(user=alice).exists()


def test_settings_page_saves_email_choices_and_digest(alice, client_for):
    client = client_for(alice)
    response = client.post("/notifications/settings/", {"email_replies": "on", "digest": "daily"})
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=alice)
    assert (preference.replies, preference.mentions, preference.digest) == (True, False, "daily")
