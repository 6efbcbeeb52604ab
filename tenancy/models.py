"""The tenancy core: communities (tenants) and memberships with their roles.

Every other app builds on these two models. Who may read or run a community is answered by
``tenancy.access`` and the query-set methods below; nothing else re-states those rules.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

STAFF_ROLES = ("moderator", "brand_manager")
# Flairs are short labels shown next to a name (level flairs and flair rewards alike).
FLAIR_MAX_LENGTH = 24


class CommunityQuerySet(models.QuerySet):
    def readable_by(self, user) -> "CommunityQuerySet":
        """Communities ``user`` may read: every public one, plus private ones they belong to."""
        readable = Q(is_public=True)
        if user is not None and user.is_authenticated:
            readable |= Q(id__in=Membership.objects.filter(user=user).values("community_id"))
        return self.filter(readable)


class MembershipQuerySet(models.QuerySet):
    def staff(self) -> "MembershipQuerySet":
        """Moderators and brand managers."""
        return self.filter(role__in=STAFF_ROLES)

    def brand_managers(self) -> "MembershipQuerySet":
        return self.filter(role=Membership.Role.BRAND_MANAGER)


class Community(models.Model):
    """A brand's micro-community: a small tenant with its own members, rules and boards."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    tagline = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True)
    accent_color = models.CharField(
        max_length=7, default="#5b4bdb", help_text="Brand colour as #rrggbb."
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="Days for streaks and caps start here."
    )
    is_public = models.BooleanField(
        default=True, help_text="Anyone can read a public community; only members write."
    )
    post_interval_seconds = models.PositiveIntegerField(
        default=0, help_text="Minimum seconds between two posts by one member (0: no minimum)."
    )
    first_day_post_interval_seconds = models.PositiveIntegerField(
        default=0,
        help_text="Minimum seconds between posts during a member's first day here (0: no minimum).",
    )
    vote_share_window_days = models.PositiveIntegerField(
        default=30,
        help_text=(
            "At most half of a member's helpful votes over this many days earn points for one"
            " recipient (0: no limit)."
        ),
    )
    vote_share_min_votes = models.PositiveIntegerField(
        default=10,
        help_text="The half-share rule applies once a member gave this many helpful votes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when this model lived in the ``community`` app.
        db_table = "community_community"
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"
        BRAND_MANAGER = "brand_manager", "Brand manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    flair = models.CharField(
        max_length=FLAIR_MAX_LENGTH,
        blank=True,
        help_text="The flair the member chose among the flair rewards they redeemed; empty"
        " shows their level's flair.",
    )
    early_access_hours = models.PositiveSmallIntegerField(
        default=0, help_text="Early access granted by a redeemed reward, in hours."
    )
    early_access_until = models.DateTimeField(
        null=True, blank=True, help_text="When the early access granted by a reward ends."
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        db_table = "community_membership"
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique"),
        ]
        indexes = [
            models.Index(fields=["community", "role"], name="community_m_communi_714ffa_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        """Moderators and brand managers run the community; ``tenancy.access`` asks this."""
        return self.role in STAFF_ROLES
