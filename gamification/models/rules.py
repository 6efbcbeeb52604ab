"""A community's game rules: point rules, loyalty settings, levels and their privileges."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class PointRule(models.Model):
    """Points one action earns in one community, and an optional cap on points per day."""

    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="point_rules"
    )
    action = models.CharField(max_length=40)
    points = models.PositiveIntegerField()
    daily_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most points a member earns per day from this action."
    )

    class Meta:
        ordering = ["-points", "action"]
        constraints = [
            models.UniqueConstraint(fields=["community", "action"], name="point_rule_unique"),
            models.CheckConstraint(
                condition=Q(daily_cap__isnull=True) | Q(daily_cap__gte=F("points")),
                name="point_rule_cap_fits_one_award",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.points}"


MAX_PENDING_DAYS = 60


MAX_EARLY_ACCESS_HOURS = 14 * 24


PENDING_LONGER_THAN_EXPIRY = (
    "Points must stay pending for less time than it takes them to expire "
    "(fewer days than four weeks per month of expiry)."
)


MAX_EXPIRY_MONTHS = 60


# A member hears about expiring points this long before they expire.
EXPIRY_NOTICE = timedelta(days=14)


class CommunityGameSettings(models.Model):
    """Community-level switches of the engine."""

    community = models.OneToOneField(
        "tenancy.Community", on_delete=models.CASCADE, related_name="game_settings"
    )
    staff_on_boards = models.BooleanField(
        default=False, help_text="Show moderators and brand managers on public leaderboards."
    )
    referral_monthly_cap = models.PositiveIntegerField(
        default=10,
        help_text=(
            "Most invited friends per member per month whose first contribution pays the "
            "member a referral bonus (0: referrals pay the member nothing). The friend's own "
            "bonus is not capped."
        ),
    )

    pending_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_PENDING_DAYS)],
        help_text=(
            "Points from reviews and photos stay pending this many days before they can be "
            "spent, so content hidden by moderators in that window never pays out "
            "(0: spendable at once). They count toward levels and boards straight away."
        ),
    )
    expiry_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXPIRY_MONTHS)],
        help_text=(
            "Spendable points expire after this many months in which the member neither earns "
            "nor spends any; they get a notice two weeks before. Empty: points never expire. "
            "Lifetime points and levels are never touched."
        ),
    )

    class Meta:
        verbose_name_plural = "community game settings"

    def __str__(self) -> str:
        return f"Game settings of {self.community}"

    def clean(self) -> None:
        """Pending points must become spendable before they could expire."""
        if self.expiry_months and self.pending_days >= 28 * self.expiry_months:
            raise ValidationError({"pending_days": PENDING_LONGER_THAN_EXPIRY})


class Level(models.Model):
    """A named step on the way up (Newcomer ... Legend), reached at ``min_points`` lifetime."""

    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="levels"
    )
    name = models.CharField(max_length=40)
    min_points = models.PositiveIntegerField()
    flair = models.CharField(
        max_length=24,
        blank=True,
        help_text="A short label next to members' names from this level on (e.g. ☕ Barista).",
    )
    early_access_hours = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_EARLY_ACCESS_HOURS)],
        help_text="From this level on, members may join new challenges this many hours early.",
    )

    class Meta:
        ordering = ["min_points"]
        constraints = [
            models.UniqueConstraint(fields=["community", "min_points"], name="level_points_unique"),
            models.UniqueConstraint(fields=["community", "name"], name="level_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class LevelPrivilege(models.Model):
    """A daily limit on one kind of contribution at one level; no row means no limit."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="privileges")
    kind = models.CharField(max_length=20)
    daily_limit = models.PositiveIntegerField(help_text="0 means not allowed at this level.")

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["level", "kind"], name="level_privilege_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.daily_limit} a day"


class PrivilegeUse(models.Model):
    """Uses of a limited privilege per community day (photos posted, links shared ...)."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member", "kind", "day"], name="privilege_use_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} on {self.day}: {self.used}"
