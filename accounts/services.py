import json
import logging
import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from notifications.models import Notification
from rest_framework.authtoken.models import Token
from wagtail.users.models import UserProfile

from accounts.forms import USERNAME_TAKEN
from accounts.models import DELETED_NAME, User
from accounts.signals import profile_saved
from community.models import Photo, Post, PostRevision, Report, Review, TargetType, Topic
from core.errors import Invalid
from gamification import services as gamification
from gamification.models import Score
from realtime.models import CommunityMute, ToastPreference
from rewards.models import Redemption
from safety.images import ImageRejected, process_upload
from tenancy.models import Membership

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
        user = User.objects.select_for_update().get(pk=user.pk)
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


@transaction.atomic
def update_privacy(*, user: User, activity_members_only: bool, public: dict[int, bool]) -> None:
    """Save the member's privacy choices.

    ``public`` maps community ids to "show me on public leaderboards and the recognition feed";
    only communities the member belongs to are considered, and only changes are written (each
    through the engine, which refreshes open leaderboards after commit).
    """
    if user.activity_members_only != activity_members_only:
        user.activity_members_only = activity_members_only
        user.save(update_fields=["activity_members_only"])
    current = dict(Score.objects.filter(member=user).values_list("community_id", "public"))
    for membership in Membership.objects.filter(user=user, community_id__in=public).select_related(
        "community"
    ):
        wanted = public[membership.community_id]
        if current.get(membership.community_id, True) != wanted:
            gamification.set_leaderboard_visibility(
                member=user, community=membership.community, public=wanted
            )


# --- Account deletion -----------------------------------------------------------------------

REMOVED_TITLE = "Removed by its author"
REMOVED_HTML = "<p><em>This content was removed by its author.</em></p>"


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


def _close_reports_on(kind: str, ids) -> None:
    Report.objects.filter(target_type=kind, target_id__in=ids, status=Report.Status.OPEN).update(
        status=Report.Status.DISMISSED, closed_at=timezone.now()
    )


def _remove_content(user: User) -> list[str]:
    """Take the member's contributions out of view; return the stored files to delete.

    Topics where other members replied stay readable, with the opening post replaced by a
    placeholder and a neutral title; the member's other topics, replies and reviews are blanked
    and hidden (so links, votes and the ledger's references stay valid); photos are deleted with
    their files. Earlier revisions of the member's posts are deleted.
    """
    posts = Post.objects.filter(author=user)
    PostRevision.objects.filter(post__in=posts).delete()
    others_replied = Post.objects.filter(topic=OuterRef("pk")).exclude(author=user)
    topics = Topic.objects.filter(author=user).annotate(others=Exists(others_replied))
    kept_topics = [t.pk for t in topics if t.others]
    Topic.objects.filter(author=user).exclude(pk__in=kept_topics).update(
        title=REMOVED_TITLE, is_hidden=True
    )
    Topic.objects.filter(pk__in=kept_topics).update(title=REMOVED_TITLE)
    placeholder = posts.filter(is_opening=True, topic_id__in=kept_topics)
    placeholder.update(body="", body_html=REMOVED_HTML)
    posts.exclude(pk__in=placeholder.values("pk")).update(
        body="", body_html=REMOVED_HTML, is_hidden=True
    )
    _close_reports_on(TargetType.POST, posts.values("pk"))

    reviews = Review.objects.filter(author=user)
    reviews.update(title=REMOVED_TITLE, body="", body_html=REMOVED_HTML, is_hidden=True)
    _close_reports_on(TargetType.REVIEW, reviews.values("pk"))

    photos = list(Photo.objects.filter(author=user))
    files = [name for p in photos for name in (p.image.name, p.thumbnail.name) if name]
    _close_reports_on(TargetType.PHOTO, [p.pk for p in photos])
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    return files


def _rename_in_others_notifications(user: User, *, old_username: str) -> None:
    """Other members' notifications about this member's acts name them: kudos carry the giver."""
    # The library stores ``data`` as JSON text (no key lookups): narrow down by text first.
    notes = (
        Notification.objects.annotate(data_text=Cast("data", TextField()))
        .filter(data_text__contains=old_username)
        .exclude(recipient=user)
    )
    for note in notes.iterator(chunk_size=500):
        if (note.data or {}).get("giver") != old_username:
            continue
        note.data = json.loads(json.dumps(note.data).replace(old_username, DELETED_NAME))
        note.description = (note.description or "").replace(old_username, DELETED_NAME)
        note.save(update_fields=["data", "description"])


@transaction.atomic
def delete_account(*, user: User, remove_content: bool) -> User:
    """Anonymise the member's account for good; the caller has checked their password.

    The User row stays (the ledger, audit log and other members' threads point at it) but
    loses everything personal: a random ``deleted-...`` username, no e-mail, names, bio or
    avatar, an unusable password, inactive (which also ends every session and API use). Their
    ledger rows are kept, pseudonymised through that row, so every total and rebuild stays
    consistent; they leave every public board, their memberships end, notifications and
    preferences go, and redemptions lose shipping notes. ``remove_content`` takes their
    contributions out of view (see ``_remove_content``); otherwise it stays, shown as by a
    deleted member.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    old_username = user.username
    files = _remove_content(user) if remove_content else []

    for score in Score.objects.filter(member=user, public=True).select_related("community"):
        gamification.set_leaderboard_visibility(
            member=user, community=score.community, public=False
        )
    Membership.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    ToastPreference.objects.filter(user=user).delete()
    CommunityMute.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    Redemption.objects.filter(member=user).exclude(shipping_note="").update(shipping_note="")

    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            files.append(profile.avatar.name)
        profile.delete()
    if user.avatar:
        files.append(user.avatar.name)

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
    _rename_in_others_notifications(user, old_username=old_username)
    # The admin's history names the objects it changed: rename this account there too.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=user.username)
    logger.info("account %s deleted (remove_content=%s)", user.pk, remove_content)
    _delete_files_on_commit(files)
    return user
