import pytest
from django.core.management import CommandError, call_command

from realtime.management.commands.notify_test import TEST_MESSAGE


def test_sends_a_stored_test_notification(
    member, community, spy_layer, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_test", "ALICE")
    notification = member.notifications.get()
    assert notification.description == TEST_MESSAGE
    assert notification.target == community
    assert "Sent a test notification to alice" in capsys.readouterr().out
    assert [p["type"] for p in spy_layer.to(f"user.{member.pk}")] == [
        "system.test",
        "notifications.unread",
    ]


def test_works_for_a_member_of_no_community(make_user, spy_layer):
    loner = make_user("loner")
    call_command("notify_test", "loner")
    assert loner.notifications.get().actor == loner


def test_unknown_member_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No member called 'ghost'"):
        call_command("notify_test", "ghost")
