import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management import call_command
from django.utils import timezone
from notifications.models import Notification
from wagtail.models import Revision

from cms import services
from cms.models import ChallengeAnnouncement, ChallengePage
from realtime import event_types
from tests.factories import MembershipFactory


@pytest.fixture
def memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


def published_notifications():
    return Notification.objects.filter(verb=services.PUBLISHED_VERB)


def test_publishing_notifies_every_member_once_and_pushes_to_the_community(
    community, make_member, make_challenge, memory_layer, django_capture_on_commit_callbacks
):
    alice, bob = make_member("alice2"), make_member("bob")
    async_to_sync(memory_layer.group_add)(f"community.{community.pk}", "watcher")
    with django_capture_on_commit_callbacks(execute=True):
        challenge = make_challenge(title="Latte art")
    assert sorted(published_notifications().values_list("recipient_id", flat=True)) == [
        alice.pk,
        bob.pk,
    ]
    message = async_to_sync(memory_layer.receive)("watcher")
    assert message["type"] == "realtime.event"
    payload = json.loads(message["text"])
    assert payload["type"] == "challenge.published"
    assert payload["title"] == "Latte art"
    assert payload["url"] == challenge.get_url()

    challenge.save_revision().publish()
    assert published_notifications().count() == 2
    assert ChallengeAnnouncement.objects.get(challenge=challenge).recipients == 2


def test_members_of_other_communities_are_not_notified(
    community,
    make_community,
    make_user,
    make_member,
    make_challenge,
    django_capture_on_commit_callbacks,
):
    outsider = make_user("outsider")
    MembershipFactory(user=outsider, community=make_community("elsewhere"))
    insider = make_member("insider")
    with django_capture_on_commit_callbacks(execute=True):
        make_challenge()
    assert list(published_notifications().values_list("recipient_id", flat=True)) == [insider.pk]


def test_scheduled_challenge_is_announced_when_publish_scheduled_runs(
    community, make_member, make_challenge, monkeypatch, django_capture_on_commit_callbacks
):
    make_member("carol")
    challenge = make_challenge(publish=False, go_live_at=timezone.now() + timedelta(hours=2))
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    assert not challenge.live and not published_notifications().exists()

    assert Revision.objects.filter(
        object_id=str(challenge.pk), approved_go_live_at__isnull=False
    ).exists()
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert ChallengePage.objects.get(pk=challenge.pk).live
    assert published_notifications().count() == 1


def test_ending_soon_reminder_goes_once_to_members_who_joined_and_have_not_finished(
    community, make_member, make_challenge, act, django_capture_on_commit_callbacks
):
    challenge = make_challenge(goal_count=2, ends_at=timezone.now() + timedelta(hours=5))
    later = make_challenge(goal_count=2, ends_at=timezone.now() + timedelta(days=3))
    joined, finished, _idle = make_member("joined"), make_member("finished"), make_member("idle")
    act(joined, community)
    act(finished, community)
    act(finished, community)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_ending_challenges", "--hours", "24")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_ending_challenges", "--hours", "24")
    reminders = [
        n.recipient_id
        for n in Notification.objects.all()
        if (n.data or {}).get("type") == event_types.CHALLENGE_ENDING
    ]
    assert reminders == [joined.pk]
    assert challenge.reminders.count() == 1 and later.reminders.count() == 0


def test_publishing_only_queues_the_fan_out_and_the_task_writes_the_rows(
    community, make_member, make_challenge, task_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    members = [make_member(f"fan{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        challenge = make_challenge(title="Latte art")
    assert not published_notifications().exists()
    [queued] = DBTaskResult.objects.filter(task_path="cms.tasks.deliver_announcement")
    assert queued.args_kwargs["args"][0] == challenge.pk
    assert ChallengeAnnouncement.objects.get(challenge=challenge).delivered_at is None

    with django_capture_on_commit_callbacks(execute=True):
        task_queue()
    assert sorted(published_notifications().values_list("recipient_id", flat=True)) == [
        m.pk for m in members
    ]
    announcement = ChallengeAnnouncement.objects.get(challenge=challenge)
    assert announcement.recipients == 3 and announcement.delivered_at is not None
    # A second run of the task (a retry) writes nothing more.
    assert services.deliver_announcement(challenge_id=challenge.pk) == 0
    assert published_notifications().count() == 3
