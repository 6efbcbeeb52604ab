"""A community's rewards catalog, its pool of discount codes, and members' redemptions.

Points are spent and refunded through ``gamification.balance`` (``spend_points`` /
``refund_points``); a redemption keeps a link to its spending ledger row. What a reward does once
redeemed (a code, a flair, an early-access window, a parcel) is in ``rewards.services``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from gamification.models import MAX_EARLY_ACCESS_HOURS
from tenancy.models import FLAIR_MAX_LENGTH


class Reward(models.Model):
    class Kind(models.TextChoices):
        DISCOUNT_CODE = "discount_code", "Discount code"
        EARLY_ACCESS = "early_access", "Early access"
        PROFILE_FLAIR = "profile_flair", "Profile flair"
        PHYSICAL_ITEM = "physical_item", "Physical item"

    class CodeSource(models.TextChoices):
        GENERATED = "generated", "Generate a unique code per redemption"
        POOL = "pool", "Hand out codes from the uploaded pool"

    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="rewards"
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISCOUNT_CODE)
    code_source = models.CharField(
        max_length=10,
        choices=CodeSource.choices,
        default=CodeSource.GENERATED,
        help_text="Discount codes only.",
    )
    cost = models.PositiveIntegerField(help_text="Points spent from the member's balance.")
    stock = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many are left; empty means unlimited."
    )
    limit_per_member = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most redemptions per member; empty means no limit."
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    min_level = models.ForeignKey(
        "gamification.Level",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Reserved to members at this level or above.",
    )
    flair = models.CharField(
        max_length=FLAIR_MAX_LENGTH,
        blank=True,
        help_text="Profile flair only: the text shown next to the member's name once redeemed.",
    )
    early_access_hours = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_EARLY_ACCESS_HOURS)],
        help_text="Early access only: how many hours before everyone a challenge opens.",
    )
    early_access_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Early access only: for how many days after redeeming the perk lasts.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cost", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="reward_name_unique"),
            models.CheckConstraint(condition=Q(cost__gte=1), name="reward_cost_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="reward_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="reward_valid_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gives_code(self) -> bool:
        return self.kind == self.Kind.DISCOUNT_CODE

    def clean(self):
        super().clean()
        if self.kind == self.Kind.PROFILE_FLAIR and not self.flair.strip():
            raise ValidationError({"flair": "A flair reward needs the flair's text."})
        if self.kind == self.Kind.EARLY_ACCESS and not self.early_access_hours:
            raise ValidationError(
                {"early_access_hours": "An early-access reward needs a number of hours."}
            )


class Redemption(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FULFILLED = "fulfilled", "Fulfilled"
        CANCELLED = "cancelled", "Cancelled"

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="redemptions"
    )
    cost = models.PositiveIntegerField()
    code = models.CharField(max_length=64, blank=True)
    shipping_note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=120)
    spend = models.OneToOneField(
        "gamification.LedgerEntry", on_delete=models.PROTECT, related_name="redemption"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "idempotency_key"], name="redemption_idempotent"
            ),
            models.UniqueConstraint(
                fields=["reward", "code"], condition=~Q(code=""), name="redemption_code_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"]),
            models.Index(fields=["reward", "member", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reward} for {self.member}"

    @property
    def early_access_ends(self):
        """When an early-access redemption's perk ends (see ``rewards.perks``)."""
        return self.created_at + timedelta(days=self.reward.early_access_days)

    @property
    def state_label(self) -> str:
        """The status in the member's words: a parcel is prepared, then shipped."""
        if self.reward.kind == Reward.Kind.PHYSICAL_ITEM:
            return {
                self.Status.PENDING: "Being prepared for shipping",
                self.Status.FULFILLED: "Shipped",
            }.get(self.status, self.get_status_display())
        return self.get_status_display()


class RewardCode(models.Model):
    """One code of a reward's pool; handed out at most once."""

    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=64)
    redemption = models.OneToOneField(
        Redemption, on_delete=models.SET_NULL, null=True, blank=True, related_name="pool_code"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["reward", "code"], name="reward_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code
