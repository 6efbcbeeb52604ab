import pytest
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse
from notifications.models import Notification
from notifications.signals import notify

from realtime import notifications_compat


def test_library_model_loads_without_the_removed_option():
    assert "index_together" not in Notification._meta.original_attrs
    assert not hasattr(Notification._meta, "index_together")


def test_install_is_idempotent():
    notifications_compat.install()
    notifications_compat.install()
    from django.db.models import options

    assert options.DEFAULT_NAMES.count("index_together") == 1


def test_other_apps_still_cannot_use_index_together():
    with pytest.raises(TypeError, match="index_together"):

        class Legacy(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "community"
                index_together = [("name",)]


def test_makemigrations_check_is_clean(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_recipient_unread_index_exists(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Notification._meta.db_table)
    recipient_col = Notification._meta.get_field("recipient").column
    assert any(
        c["index"] and c["columns"] == [recipient_col, "unread"] for c in constraints.values()
    )


def test_send_count_and_mark_read(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    notify.send(bob, recipient=alice, verb="gave you kudos", data={"points": 10})
    notify.send(bob, recipient=alice, verb="marked your answer helpful")
    assert alice.notifications.unread().count() == 2
    first = alice.notifications.first()
    assert first.data in ({"points": 10}, None) or isinstance(first.data, dict)
    first.mark_as_read()
    assert alice.notifications.unread().count() == 1
    alice.notifications.mark_all_as_read()
    assert alice.notifications.unread().count() == 0


def test_library_views_work(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    notify.send(bob, recipient=alice, verb="said hello")
    client.force_login(alice)
    count = client.get(reverse("notifications:live_unread_notification_count"))
    assert count.json() == {"unread_count": 1}
    listing = client.get(reverse("notifications:live_unread_notification_list"))
    assert listing.json()["unread_list"][0]["verb"] == "said hello"
    slug = alice.notifications.first().slug
    client.get(reverse("notifications:mark_as_read", args=[slug]))
    assert alice.notifications.unread().count() == 0


def test_a_member_cannot_mark_someone_elses_notification(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    notify.send(alice, recipient=bob, verb="private")
    client.force_login(alice)
    response = client.get(
        reverse("notifications:mark_as_read", args=[bob.notifications.first().slug])
    )
    assert response.status_code == 404
    assert bob.notifications.unread().count() == 1
