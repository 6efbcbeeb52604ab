"""Writes on a member's own account: sign-up, profile, privacy choices and deletion.

``accounts`` imports nothing from the apps above it: they hear of a saved profile through
``accounts.signals.profile_saved`` and take part in deletion through the registry in
``accounts.privacy``.
"""

import logging
import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from wagtail.users.models import UserProfile

from accounts import lockout, privacy
from accounts.forms import USERNAME_TAKEN
from accounts.models import User
from accounts.privacy import Erasure
from accounts.signals import profile_saved
from core.errors import Invalid
from safety.images import ImageRejected, process_upload

logger = logging.getLogger("accounts.privacy")


class SignUpError(Invalid):
    """A sign-up we refuse (the username is taken); shown on the username field."""

    field = "username"


class ProfileError(Invalid):
    """A profile change we refuse (a rejected avatar); the message is for the member."""

    field = "avatar"


def create_account(*, username: str, password: str, email: str = "") -> User:
    """Create a member account; a racing duplicate username becomes a clear error."""
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, email=email)
    except IntegrityError as exc:
        raise SignUpError(USERNAME_TAKEN) from exc


def update_profile(*, user: User, first_name: str, bio: str, avatar=None) -> User:
    """Save the member's public profile and send ``profile_saved`` in the same transaction.

    (Gamification listens: a profile completed now is welcomed in each community.) A new avatar
    is checked and re-encoded like any photo (no EXIF, square); a rejected file leaves the
    profile as it was.
    """
    processed = None
    if avatar is not None:
        try:
            processed = process_upload(avatar)
        except ImageRejected as exc:
            raise ProfileError(str(exc)) from exc
    with transaction.atomic():
        user = User.objects.select_for_update(no_key=True, of=("self",)).get(pk=user.pk)
        user.first_name = first_name.strip()
        user.bio = bio.strip()
        fields = ["first_name", "bio"]
        if processed is not None:
            user.avatar.save(processed.thumbnail.name, processed.thumbnail, save=False)
            fields.append("avatar")
        user.save(update_fields=fields)
        profile_saved.send(sender=User, user=user)
    return user


# --- Privacy --------------------------------------------------------------------------------


def update_privacy(*, user: User, activity_members_only: bool) -> None:
    """Save the account-wide privacy choice: profile activity shown only to fellow members.

    The per-community leaderboard choice belongs to gamification
    (``gamification.privacy.save_leaderboard_choices``); the privacy page saves both in one
    transaction.
    """
    if user.activity_members_only != activity_members_only:
        user.activity_members_only = activity_members_only
        user.save(update_fields=["activity_members_only"])


# --- Account deletion -----------------------------------------------------------------------


def _delete_files_on_commit(names: list[str]) -> None:
    """Storage is not transactional: delete the files only once the anonymisation is committed."""

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not delete %s from storage", name)

    if names:
        transaction.on_commit(delete, robust=True)


@transaction.atomic
def delete_account(*, user: User, remove_content: bool) -> User:
    """Anonymise the member's account for good; the caller has checked their password.

    The User row stays (the ledger, audit log and other members' threads point at it) but
    loses everything personal: a random ``deleted-...`` username, no e-mail, names, bio or
    avatar, an unusable password, inactive (which also ends every session and API use).
    First every part registered in ``accounts.privacy`` erases what its app keeps, in its
    order: with the parts of this project, ``remove_content`` takes the member's contributions
    out of view (otherwise they stay, shown as by a deleted member); they leave every public
    board, their memberships end, notifications and preferences go (other members' name a
    deleted member), and redemptions lose shipping notes. Their ledger rows are kept,
    pseudonymised through the User row, so every total and rebuild stays consistent. Stored
    files are deleted once this commits.
    """
    user = User.objects.select_for_update(no_key=True, of=("self",)).get(pk=user.pk)
    if user.is_deleted:
        return user
    erasure = Erasure(remove_content=remove_content, old_username=user.username)
    for part in privacy.erase_steps():
        part.erase(user, erasure)

    Token.objects.filter(user=user).delete()
    lockout.forget_account(user.username)
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            erasure.delete_files(profile.avatar.name)
        profile.delete()
    if user.avatar:
        erasure.delete_files(user.avatar.name)

    user.username = f"deleted-{secrets.token_hex(8)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.bio = ""
    user.avatar = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.activity_members_only = True
    user.deleted_at = timezone.now()
    user.save()
    # The admin's history names the objects it changed: rename this account there too.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=user.username)
    logger.info("account %s deleted (remove_content=%s)", user.pk, remove_content)
    _delete_files_on_commit(erasure.files)
    return user
