"""Notification rows written under django-notifications-hq 1.8.3 survive the switch to
django-notifications-community.

django-notifications-hq 1.8.3 shipped migrations 0001 to 0009 (its last:
``0009_alter_notification_options_and_more``). django-notifications-community keeps those nine
and continues the chain with 0010 (renames the recipient/unread index), 0011 (``data`` becomes
Django's own JSONField), 0012 (indexes on the generic foreign keys) and 0013 (level choices), so
an existing database only applies 0010 to 0013.

Under the old library ``data`` was a jsonfield column: plain text holding JSON. The new library's
copies of 0003 and 0009 build a native JSON column when jsonfield is not installed, so the test
turns the column back into text before writing the old row. The library's 0011 then changes
nothing (its migration state already says JSONField); ``realtime/migrations/0003`` converts it.
"""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from notifications.models import Notification

from accounts.models import User
from community.models import Community

APP = "notifications"
OLD_LAST = (APP, "0009_alter_notification_options_and_more")
PAYLOAD = {"type": "kudos", "points": 10, "body": "Bob gave you kudos", "tags": ["a", "b"]}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _latest() -> list[tuple[str, str]]:
    """Every app's last migration (``realtime`` has one that depends on ``notifications``)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _data_as_jsonfield_text(model) -> None:
    """Give ``data`` the column jsonfield 3.2 gave it: a nullable text column.

    SQLite rebuilds the table to change a column, and Django 5.2 no longer carries an
    ``index_together`` index through a rebuild, so the index 0008 made is put back as it was.
    """
    old_field = model._meta.get_field("data")
    text_field = models.TextField(blank=True, null=True, verbose_name="data")
    text_field.set_attributes_from_name("data")
    text_field.model = model
    with connection.schema_editor() as editor:
        editor.alter_field(model, old_field, text_field)
        if connection.vendor == "sqlite":
            editor.alter_index_together(model, set(), {("recipient", "unread")})


def _data_column_type() -> str:
    introspection = connection.introspection
    with connection.cursor() as cursor:
        description = introspection.get_table_description(cursor, Notification._meta.db_table)
    (column,) = [column for column in description if column.name == "data"]
    return introspection.get_field_type(column.type_code, column)


def _recipient_unread_indexes() -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Notification._meta.db_table)
    return [
        name
        for name, c in constraints.items()
        if c["index"] and c["columns"] == ["recipient_id", "unread"]
    ]


def test_the_new_library_continues_the_old_chain():
    graph = MigrationLoader(None).graph  # the migration files alone, no database
    (leaf,) = graph.leaf_nodes(APP)
    chain = [name for app, name in graph.forwards_plan(leaf) if app == APP]
    assert chain[:9] == [
        "0001_initial",
        "0002_auto_20150224_1134",
        "0003_notification_data",
        "0004_auto_20150826_1508",
        "0005_auto_20160504_1520",
        "0006_indexes",
        "0007_add_timestamp_index",
        "0008_index_together_recipient_unread",
        OLD_LAST[1],
    ]
    assert len(chain) > 9


@pytest.mark.django_db(transaction=True)
def test_rows_written_by_the_old_library_survive_the_upgrade():
    alice = User.objects.create_user(username="alice", password="x-pass-123!")
    bob = User.objects.create_user(username="bob", password="x-pass-123!")
    community = Community.objects.create(slug="roasters", name="Roasters")
    user_type = ContentType.objects.get_for_model(User)
    community_type = ContentType.objects.get_for_model(Community)
    latest = _latest()
    try:
        # A table built by the old library's migrations, as a database running 1.8.3 has it.
        _migrate([(APP, None)])
        executor = _migrate([OLD_LAST])
        assert [name for app, name in executor.loader.applied_migrations if app == APP] == [
            name for app, name in executor.loader.graph.forwards_plan(OLD_LAST) if app == APP
        ]
        OldNotification = executor.loader.project_state([OLD_LAST]).apps.get_model(
            APP, "Notification"
        )
        assert len(_recipient_unread_indexes()) == 1  # made by 0008's index_together
        _data_as_jsonfield_text(OldNotification)
        assert len(_recipient_unread_indexes()) == 1
        assert _data_column_type() == "TextField"

        sent_at = timezone.now().replace(microsecond=0)
        unread = OldNotification.objects.create(
            recipient_id=alice.pk,
            actor_content_type_id=user_type.pk,
            actor_object_id=str(bob.pk),
            verb="gave you kudos",
            description="Bob gave you kudos",
            target_content_type_id=community_type.pk,
            target_object_id=str(community.pk),
            level="success",
            public=False,
            timestamp=sent_at,
        )
        read = OldNotification.objects.create(
            recipient_id=alice.pk,
            actor_content_type_id=user_type.pk,
            actor_object_id=str(bob.pk),
            verb="said hello",
            unread=False,
            timestamp=sent_at,
        )
        with connection.cursor() as cursor:  # what jsonfield wrote: json.dumps of the value
            cursor.execute(
                f"UPDATE {OldNotification._meta.db_table} SET data = %s WHERE id = %s",
                [json.dumps(PAYLOAD), unread.pk],
            )

        _migrate(latest)

        assert len(_recipient_unread_indexes()) == 1
        assert _data_column_type() == "JSONField"
        row = Notification.objects.get(pk=unread.pk)
        assert row.recipient == alice
        assert row.actor == bob
        assert row.target == community
        assert row.verb == "gave you kudos"
        assert row.description == "Bob gave you kudos"
        assert row.level == "success"
        assert row.public is False
        assert row.unread is True
        assert row.timestamp == sent_at
        assert row.data == PAYLOAD
        assert Notification.objects.get(pk=read.pk).data is None
        assert Notification.objects.filter(data__points=10).get() == row  # a real JSON column

        assert list(alice.notifications.unread()) == [row]
        assert alice.notifications.read().get().pk == read.pk
        row.mark_as_read()
        assert alice.notifications.unread().count() == 0
    finally:
        _migrate(latest)


def test_makemigrations_check_is_clean(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_recipient_unread_index_exists(db):
    assert len(_recipient_unread_indexes()) == 1


def test_a_new_database_has_a_json_data_column(db):
    assert _data_column_type() == "JSONField"
