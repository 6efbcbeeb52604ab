"""The append-only ledger and the aggregates the engine keeps from it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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
