"""Make ``notifications_notification.data`` a JSON column on databases made under the old library.

django-notifications-hq 1.8.3 stored ``data`` with jsonfield: a text column. Its continuation,
django-notifications-community, turns the column into Django's JSONField in its migration 0011,
but its copies of 0003 and 0009 fall back to Django's JSONField when jsonfield is not installed
(and it no longer is), so the migration state already says JSONField and 0011 changes nothing:
on PostgreSQL the column would stay ``text`` (JSON lookups on it fail), on SQLite it would lack
the JSON check. This looks at the real column and converts it when it is still text; on a
database created by the new library it does nothing. Tested in
``tests/realtime/test_notifications_upgrade.py``.
"""

from django.db import migrations, models


def data_to_json(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    connection = schema_editor.connection
    introspection = connection.introspection
    with connection.cursor() as cursor:
        description = introspection.get_table_description(cursor, Notification._meta.db_table)
    (column,) = [column for column in description if column.name == "data"]
    if introspection.get_field_type(column.type_code, column) != "TextField":
        return
    json_field = Notification._meta.get_field("data")
    text_field = models.TextField(blank=True, null=True, verbose_name="data")
    text_field.set_attributes_from_name("data")
    text_field.model = Notification
    schema_editor.alter_field(Notification, text_field, json_field)


class Migration(migrations.Migration):
    dependencies = [
        ("realtime", "0002_community_moves_to_tenancy"),
        ("notifications", "0011_replace_jsonfield_with_native"),
    ]

    operations = [
        migrations.RunPython(data_to_json, migrations.RunPython.noop, elidable=False),
    ]
