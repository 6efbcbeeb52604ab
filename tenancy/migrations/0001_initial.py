"""Community and Membership move here from the ``community`` app; their tables stay.

State-only: the tables ``community_community`` and ``community_membership`` are kept as they
are (``db_table``), and the two content types are renamed to this app so that generic relations
(notifications, admin log, Wagtail permissions) keep pointing at the same rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("community", "membership")


def rename_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def forwards(apps, schema_editor):
    rename_content_types(apps, schema_editor, source="community", target="tenancy")


def backwards(apps, schema_editor):
    rename_content_types(apps, schema_editor, source="tenancy", target="community")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("community", "0005_audit_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Community",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=80, unique=True)),
                        ("slug", models.SlugField(max_length=80, unique=True)),
                        ("tagline", models.CharField(blank=True, max_length=160)),
                        ("description", models.TextField(blank=True)),
                        (
                            "accent_color",
                            models.CharField(
                                default="#5b4bdb",
                                help_text="Brand colour as #rrggbb.",
                                max_length=7,
                            ),
                        ),
                        (
                            "time_zone",
                            models.CharField(
                                default="UTC",
                                help_text="Days for streaks and caps start here.",
                                max_length=64,
                            ),
                        ),
                        (
                            "is_public",
                            models.BooleanField(
                                default=True,
                                help_text="Anyone can read a public community; only members write.",
                            ),
                        ),
                        (
                            "post_interval_seconds",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="Minimum seconds between two posts by one member (0: no minimum).",
                            ),
                        ),
                        (
                            "first_day_post_interval_seconds",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="Minimum seconds between posts during a member's first day here (0: no minimum).",
                            ),
                        ),
                        (
                            "vote_share_window_days",
                            models.PositiveIntegerField(
                                default=30,
                                help_text="At most half of a member's helpful votes over this many days earn points for one recipient (0: no limit).",
                            ),
                        ),
                        (
                            "vote_share_min_votes",
                            models.PositiveIntegerField(
                                default=10,
                                help_text="The half-share rule applies once a member gave this many helpful votes.",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "community_community",
                        "verbose_name_plural": "communities",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("member", "Member"),
                                    ("moderator", "Moderator"),
                                    ("brand_manager", "Brand manager"),
                                ],
                                default="member",
                                max_length=20,
                            ),
                        ),
                        ("joined_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="tenancy.community",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "community_membership",
                        "indexes": [
                            models.Index(
                                fields=["community", "role"],
                                name="community_m_communi_714ffa_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "community"), name="membership_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
