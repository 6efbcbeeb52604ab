"""The engine's tables.

The ledger is the source of truth. ``Score``, ``ActionCount``, ``PeriodScore`` and
``DailyActionTotal`` are aggregates kept in step with it inside the award's transaction and
rebuildable from it (``manage.py rebuild_scores``). Rules, levels, privileges and badges are
per-community configuration; ``ensure_defaults`` creates a sensible set.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class LedgerEntry(models.Model):
    """One append-only line of the points ledger.

    Rows are never updated or deleted: a correction is a new row whose ``reverses`` points at
    the row it cancels. ``key`` makes every award idempotent: a retried or racing award with the
    same key hits the unique constraint and is not written twice.
    """

    community = models.ForeignKey(
        "tenancy.Community", on_delete=models.CASCADE, related_name="ledger_entries"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger_entries"
    )
    action = models.CharField(max_length=40)
    points = models.IntegerField()
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    key = models.CharField(max_length=200, unique=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    release_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="On a hold (``points.held``) only: when the held points become spendable.",
    )

    class Meta:
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["community", "member", "created_at"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["member", "-created_at"], name="ledger_member_recent"),
            models.Index(
                fields=["release_at"],
                condition=Q(release_at__isnull=False),
                name="ledger_holds_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+d} for {self.action}"


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


class Score(models.Model):
    """A member's standing in one community: totals, streak and leaderboard preference."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scores"
    )
    lifetime = models.IntegerField(default=0, help_text="Never spent; drives levels and boards.")
    balance = models.IntegerField(default=0, help_text="Spendable on rewards.")
    reached_at = models.DateTimeField(help_text="When the lifetime total last changed (ties).")
    current_streak = models.PositiveIntegerField(default=0)
    longest_streak = models.PositiveIntegerField(default=0)
    last_active_day = models.DateField(null=True, blank=True)
    public = models.BooleanField(default=True, help_text="Shown on public leaderboards.")
    pending = models.IntegerField(
        default=0, help_text="Earned but not yet spendable (held points, see pending_days)."
    )
    active_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The member's last earning or spending here (points expire after inactivity).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member"], name="score_unique"),
            models.CheckConstraint(condition=Q(pending__gte=0), name="score_pending_not_negative"),
            models.CheckConstraint(
                condition=Q(longest_streak__gte=F("current_streak")), name="score_streak_longest"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="score_balance_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["community", "public", "-lifetime", "reached_at", "member"],
                name="score_board",
            ),
            models.Index(fields=["community", "active_at"], name="score_inactive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.community}: {self.lifetime}"


class ActionCount(models.Model):
    """How many times a member was awarded for an action (net of reversals)."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member", "action"], name="action_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} x{self.count}"


class PeriodScore(models.Model):
    """Points earned in one calendar week (Monday) or month, in the community's time zone."""

    class Kind(models.TextChoices):
        WEEK = "week", "Week"
        MONTH = "month", "Month"

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    start = models.DateField()
    points = models.IntegerField(default=0)
    reached_at = models.DateTimeField()
    public = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member", "kind", "start"], name="period_score_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["community", "kind", "start", "public", "-points", "reached_at", "member"],
                name="period_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} of {self.start}: {self.points}"


class DailyActionTotal(models.Model):
    """Points earned per action per community day; enforces daily caps without summing."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    day = models.DateField()
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member", "action", "day"], name="daily_total_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} on {self.day}: {self.points}"


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


class FirstJoin(models.Model):
    """When a member first joined a community; kept when they leave, so a rejoin is known.

    Memberships are deleted on leave; this row is not. An invite only counts for someone who
    has no row yet.
    """

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member"], name="first_join_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} first joined {self.community_id} at {self.joined_at}"


class InviteCode(models.Model):
    """A member's invite link code in one community: random, stable, one per membership."""

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member"], name="invite_code_unique"),
        ]

    def __str__(self) -> str:
        return f"invite of {self.member_id} in {self.community_id}"


class Referral(models.Model):
    """A newcomer who joined a community through a member's invite link.

    Paid once, when the newcomer's first contribution lands: ``paid_at`` is set then, and
    ``referrer_paid`` says whether the referrer was within their monthly cap.
    """

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_month = models.DateField(
        null=True, blank=True, help_text="Month (community time) the referrer's cap counted it in."
    )
    referrer_paid = models.BooleanField(default=False)

    class Meta:
        ordering = ["-joined_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "newcomer"], name="referral_once"),
            models.CheckConstraint(condition=~Q(referrer=F("newcomer")), name="referral_not_self"),
        ]
        indexes = [models.Index(fields=["community", "referrer", "paid_month"])]

    def __str__(self) -> str:
        return f"{self.newcomer_id} invited by {self.referrer_id} to {self.community_id}"


class ExpiryNotice(models.Model):
    """The two-week notice before a member's spendable points expire, once per quiet spell.

    ``active_at`` is the member's last activity the notice was about: activity after it starts
    a new spell (and, later, a new notice). Points expire only at ``expires_at`` and only while
    the member's last activity is still ``active_at``.
    """

    community = models.ForeignKey("tenancy.Community", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    active_at = models.DateTimeField()
    points = models.PositiveIntegerField(help_text="The balance when the notice was sent.")
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member", "active_at"], name="expiry_notice_once"
            ),
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.points} points of {self.member_id} expire at {self.expires_at:%Y-%m-%d}"
