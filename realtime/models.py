"""Per-member choices about real-time recognition: which events pop a toast, muted communities.

Notifications themselves are django-notifications-community rows (``notifications.Notification``);
preferences only decide what pops up, never what is stored, so nothing is lost.
"""

from django.conf import settings
from django.db import models


class ToastPreference(models.Model):
    """Which kinds of recognition pop a toast for one member (absent row: all of them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toast_preference"
    )
    points = models.BooleanField("Points earned", default=True)
    badges = models.BooleanField("Badges earned", default=True)
    levels = models.BooleanField("Level-ups", default=True)
    streaks = models.BooleanField("Streak milestones", default=True)
    kudos = models.BooleanField("Kudos from moderators", default=True)
    challenges = models.BooleanField("Challenges: new, progress and completed", default=True)
    rewards = models.BooleanField("Rewards redeemed", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"toast preferences of {self.user}"


class CommunityMute(models.Model):
    """A member muted a community: its events are still stored, but pop no toast."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_mutes"
    )
    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="mutes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="community_mute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} muted {self.community}"


class EmailPreference(models.Model):
    """Which notifications a member gets by e-mail when away, and their digest (absent row:
    every kind on, weekly digest). Stored notifications are the same either way."""

    class Digest(models.TextChoices):
        OFF = "off", "No digest"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    replies = models.BooleanField("Replies to your topics and posts", default=True)
    mentions = models.BooleanField("Mentions of you", default=True)
    answers = models.BooleanField("Your answer accepted", default=True)
    kudos = models.BooleanField("Kudos", default=True)
    badges = models.BooleanField("Badges earned", default=True)
    expiry = models.BooleanField("Points about to expire", default=True)
    reminders = models.BooleanField("Challenges ending soon", default=True)
    digest = models.CharField("Digest", max_length=8, choices=Digest.choices, default=Digest.WEEKLY)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"e-mail preferences of {self.user}"
