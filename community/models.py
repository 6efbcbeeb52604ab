from django.conf import settings
from django.db import models
from django.urls import reverse


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["community", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in {self.Role.MODERATOR, self.Role.BRAND_MANAGER}
