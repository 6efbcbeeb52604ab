from django.db import IntegrityError, transaction

from accounts.forms import USERNAME_TAKEN
from accounts.models import User
from community.images import ImageRejected, process_upload
from gamification.services import record_profile_completed


class SignUpError(Exception):
    pass


class ProfileError(Exception):
    """A profile change we refuse; the message is for the member."""


def create_account(*, username: str, password: str, email: str = "") -> User:
    """Create a member account; a racing duplicate username becomes a clear error."""
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, email=email)
    except IntegrityError as exc:
        raise SignUpError(USERNAME_TAKEN) from exc


def update_profile(*, user: User, first_name: str, bio: str, avatar=None) -> User:
    """Save the member's public profile; a profile completed now is welcomed in each community.

    A new avatar is checked and re-encoded like any photo (no EXIF, square); a rejected file
    leaves the profile as it was.
    """
    processed = None
    if avatar is not None:
        try:
            processed = process_upload(avatar)
        except ImageRejected as exc:
            raise ProfileError(str(exc)) from exc
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.first_name = first_name.strip()
        user.bio = bio.strip()
        fields = ["first_name", "bio"]
        if processed is not None:
            user.avatar.save(processed.thumbnail.name, processed.thumbnail, save=False)
            fields.append("avatar")
        user.save(update_fields=fields)
        record_profile_completed(member=user)
    return user
