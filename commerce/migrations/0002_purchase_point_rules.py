"""Give existing communities the purchase point rules (new communities get them from
``gamification.setup.ensure_defaults``)."""

from django.db import migrations

# Frozen copies of the defaults in ``gamification.actions`` at the time of this migration.
PURCHASE_RULES = {"purchase.order": 10, "purchase.spend": 1, "purchase.first_order": 25}


def add_rules(apps, schema_editor):
    Community = apps.get_model("tenancy", "Community")
    PointRule = apps.get_model("gamification", "PointRule")
    for community_id in Community.objects.values_list("pk", flat=True):
        if not PointRule.objects.filter(community_id=community_id).exists():
            continue  # ensure_defaults fills a community without rules on first use
        PointRule.objects.bulk_create(
            [
                PointRule(community_id=community_id, action=action, points=points)
                for action, points in PURCHASE_RULES.items()
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0001_initial"),
        ("gamification", "0009_community_moves_to_tenancy"),
    ]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
