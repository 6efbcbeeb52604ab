from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class CaseInsensitiveUserManager(UserManager):
    """Looks usernames up case-insensitively, so "Alice" logs in as "alice"."""

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


DELETED_NAME = "deleted member"


class User(AbstractUser):
    bio = models.TextField(blank=True, max_length=600)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    activity_members_only = models.BooleanField(
        default=False,
        help_text="Posts, reviews, photos and badges on the profile are shown only to members "
        "of that community.",
    )
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the member deleted their account (anonymised)."
    )

    objects = CaseInsensitiveUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def display_name(self) -> str:
        if self.is_deleted:
            return DELETED_NAME
        return self.get_full_name() or self.username
