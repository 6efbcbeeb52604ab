"""Rewards created before flair and early-access rewards did anything get a flair text (their
name) and a day of early access for 30 days; standing redemptions give their perk now."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

FLAIR_MAX_LENGTH = 24


def backfill(apps, schema_editor):
    Reward = apps.get_model("rewards", "Reward")
    Redemption = apps.get_model("rewards", "Redemption")
    Membership = apps.get_model("tenancy", "Membership")
    for reward in Reward.objects.filter(kind="profile_flair", flair=""):
        reward.flair = reward.name[:FLAIR_MAX_LENGTH]
        reward.save(update_fields=["flair"])
    Reward.objects.filter(kind="early_access", early_access_hours=0).update(early_access_hours=24)
    standing = Redemption.objects.exclude(status="cancelled").select_related("reward")
    now = timezone.now()
    for redemption in standing.filter(reward__kind="profile_flair").order_by("created_at"):
        Membership.objects.filter(
            user_id=redemption.member_id, community_id=redemption.community_id
        ).update(flair=redemption.reward.flair)
    for redemption in standing.filter(reward__kind="early_access").order_by("created_at"):
        ends = redemption.created_at + timedelta(days=redemption.reward.early_access_days)
        if ends > now:
            Membership.objects.filter(
                user_id=redemption.member_id, community_id=redemption.community_id
            ).update(
                early_access_hours=redemption.reward.early_access_hours, early_access_until=ends
            )


class Migration(migrations.Migration):
    dependencies = [
        ("rewards", "0003_reward_perks"),
        ("tenancy", "0002_membership_reward_perks"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
