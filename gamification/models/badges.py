"""Badges, their tiers and awards, and kudos given by hand."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Badge(models.Model):
    """A badge of one community: earned automatically by a criterion, or granted by hand."""

    class Criterion(models.TextChoices):
        ACTION_COUNT = "action_count", "Times an action was done"
        LIFETIME_POINTS = "lifetime_points", "Lifetime points"
        STREAK_DAYS = "streak_days", "Longest streak in days"
        CHALLENGES_COMPLETED = "challenges_completed", "Challenges completed"
        MANUAL = "manual", "Granted by a moderator"

    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="badges"
    )
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=200)
    icon = models.CharField(max_length=8, default="★", help_text="An emoji or symbol.")
    criterion = models.CharField(max_length=24, choices=Criterion.choices)
    action = models.CharField(max_length=40, blank=True, help_text="For action-count badges.")
    bronze = models.PositiveIntegerField(null=True, blank=True)
    silver = models.PositiveIntegerField(null=True, blank=True)
    gold = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="badge_slug_unique"),
            models.CheckConstraint(
                condition=(
                    Q(criterion="manual", bronze__isnull=True)
                    | (
                        ~Q(criterion="manual")
                        & Q(bronze__gte=1)
                        & (Q(silver__isnull=True) | Q(silver__gt=F("bronze")))
                        & (Q(gold__isnull=True) | Q(silver__isnull=False, gold__gt=F("silver")))
                    )
                ),
                name="badge_thresholds_ascend",
            ),
            models.CheckConstraint(
                condition=~Q(criterion="action_count") | ~Q(action=""),
                name="badge_action_count_names_action",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def thresholds(self) -> list[int]:
        return [t for t in (self.bronze, self.silver, self.gold) if t is not None]

    @property
    def is_manual(self) -> bool:
        return self.criterion == self.Criterion.MANUAL


class Tier(models.IntegerChoices):
    BRONZE = 1, "Bronze"
    SILVER = 2, "Silver"
    GOLD = 3, "Gold"


class BadgeAward(models.Model):
    """One tier of a badge held by a member; manual grants carry who and why, and can be revoked."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.BRONZE)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "member", "tier"],
                condition=Q(revoked_at__isnull=True),
                name="badge_award_tier_once",
            ),
        ]
        indexes = [models.Index(fields=["community", "member"])]

    def __str__(self) -> str:
        return f"{self.badge} ({self.get_tier_display()}) for {self.member}"


class Kudos(models.Model):
    """A moderator's public thank-you: a message, points and optionally a manual badge."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    message = models.CharField(max_length=500)
    points = models.PositiveIntegerField(default=0)
    form_token = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="One per kudos form shown: a double submit gives kudos once.",
    )
    badge_award = models.OneToOneField(
        BadgeAward, on_delete=models.SET_NULL, null=True, blank=True, related_name="kudos"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return f"Kudos to {self.recipient} in {self.community}"
