"""First joins, invite codes and referrals."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


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
