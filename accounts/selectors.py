"""Reads about a member's own account: privacy choices and the "export my data" archive.

The export is written straight into a temporary file, one JSON array per kind of data, row by
row from database iterators, so a large account never sits in memory as a whole. Only rows
that belong to the member are read: every query below filters on the member.
"""

import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile

from django.core.files.storage import default_storage
from notifications.models import Notification

from accounts.models import User
from cms.models import ChallengeProgress
from community.models import HelpfulVote, Photo, Post, PostRevision, Report, Review, Topic
from gamification.models import BadgeAward, Kudos, LedgerEntry, Level, Score
from realtime.models import CommunityMute, ToastPreference
from rewards.models import Redemption
from tenancy.models import Membership

CHUNK = 500

README = """Your Brandloop data
==================

This archive holds a copy of everything stored about your account, as JSON (UTF-8). Each .json
file is a list of objects; dates are ISO 8601 in UTC.

profile.json              your account: username, e-mail, names, bio, avatar, when you joined
privacy.json              your privacy choices: profile activity visibility and, per community,
                          whether you appear on public leaderboards and the recognition feed
memberships.json          the communities you belong to, your role and when you joined
topics.json               topics you started
posts.json                every post you wrote (opening posts and replies), each with its earlier
                          revisions (what it said before each edit)
reviews.json              your product reviews
photos.json               metadata of the photos you uploaded; the files are in photos/
photos/                   the stored image files of your photos (re-encoded, without EXIF)
avatar/                   your avatar image, if you uploaded one
helpful_votes.json        posts you marked helpful
reports.json              content you reported to moderators
ledger.json               every points row: awards, reversals and spending, per community
scores.json               your points, balance, level and streaks per community
badges.json               badges you earned, with who granted a manual badge and why
kudos_received.json       kudos moderators gave you
kudos_given.json          kudos you gave other members (as a moderator)
challenges.json           your progress in challenges
redemptions.json          rewards you redeemed, with codes and shipping notes
notifications.json        your notifications
notification_preferences.json  which toasts you want and which communities you muted
"""


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _clean(row: dict) -> dict:
    return {key: _value(value) for key, value in row.items()}


def _write_list(archive: ZipFile, name: str, rows: Iterable[dict], files=None) -> None:
    """Write one JSON array into the archive, a row at a time, then the files its rows named.

    A zip takes one open entry at a time, so stored files collected while the rows were written
    (``files``: a list the row generator appends to) are copied once the JSON entry is closed.
    """
    with archive.open(name, "w") as out:
        out.write(b"[")
        for index, row in enumerate(rows):
            out.write(b",\n" if index else b"\n")
            out.write(json.dumps(_clean(row), ensure_ascii=False).encode())
        out.write(b"\n]\n")
    for stored_name, target in files or []:
        with default_storage.open(stored_name, "rb") as source, archive.open(target, "w") as dest:
            for chunk in iter(lambda: source.read(64 * 1024), b""):
                dest.write(chunk)


def _file(field_file, folder: str, files: list) -> str | None:
    """Where a stored file goes in the archive (queued in ``files``); None when missing."""
    if not field_file or not default_storage.exists(field_file.name):
        return None
    target = f"{folder}/{field_file.name.rsplit('/', 1)[-1]}"
    files.append((field_file.name, target))
    return target


def _rows(queryset, *fields) -> Iterator[dict]:
    return queryset.values(*fields).iterator(chunk_size=CHUNK)


def _posts(user: User) -> Iterator[dict]:
    """Posts in id order, each with its revisions, merged from two ordered streams of rows."""
    posts = _rows(
        Post.objects.filter(author=user).order_by("pk"),
        "id",
        "topic__community__slug",
        "topic_id",
        "topic__title",
        "is_opening",
        "body",
        "is_hidden",
        "created_at",
        "edited_at",
    )
    revisions = _rows(
        PostRevision.objects.filter(post__author=user).order_by("post_id", "-created_at", "-id"),
        "post_id",
        "title",
        "body",
        "created_at",
    )
    pending = next(revisions, None)
    for post in posts:
        post["revisions"] = []
        while pending is not None and pending["post_id"] <= post["id"]:
            if pending["post_id"] == post["id"]:
                post["revisions"].append(
                    _clean({k: v for k, v in pending.items() if k != "post_id"})
                )
            pending = next(revisions, None)
        yield post


def _photos(user: User, files: list) -> Iterator[dict]:
    photos = Photo.objects.filter(author=user).select_related("community").order_by("pk")
    for photo in photos.iterator(chunk_size=CHUNK):
        yield {
            "id": photo.pk,
            "community": photo.community.slug,
            "caption": photo.caption,
            "width": photo.width,
            "height": photo.height,
            "product_id": photo.product_id,
            "topic_id": photo.topic_id,
            "review_id": photo.review_id,
            "is_hidden": photo.is_hidden,
            "is_featured": photo.is_featured,
            "created_at": photo.created_at,
            "file": _file(photo.image, f"photos/{photo.pk}", files),
        }


def _scores(user: User) -> Iterator[dict]:
    levels: dict[int, list[tuple[int, str]]] = {}
    for level in Level.objects.filter(
        community_id__in=Score.objects.filter(member=user).values("community_id")
    ).values("community_id", "min_points", "name"):
        levels.setdefault(level["community_id"], []).append((level["min_points"], level["name"]))
    scores = Score.objects.filter(member=user).select_related("community").order_by("pk")
    for score in scores.iterator(chunk_size=CHUNK):
        steps = sorted(levels.get(score.community_id, []))
        reached = [name for floor, name in steps if floor <= score.lifetime]
        yield {
            "community": score.community.slug,
            "lifetime_points": score.lifetime,
            "balance": score.balance,
            "pending": score.pending,
            "last_activity": score.active_at,
            "level": reached[-1] if reached else "",
            "current_streak": score.current_streak,
            "longest_streak": score.longest_streak,
            "last_active_day": score.last_active_day,
            "on_public_leaderboards": score.public,
        }


def _notification_preferences(user: User) -> Iterator[dict]:
    preference = ToastPreference.objects.filter(user=user).values().first()
    if preference:
        preference.pop("id", None)
        preference.pop("user_id", None)
    yield {
        "toasts": preference or "defaults (all on)",
        "muted_communities": list(
            CommunityMute.objects.filter(user=user).values_list("community__slug", flat=True)
        ),
    }


def _profile(user: User, files: list) -> Iterator[dict]:
    yield {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "bio": user.bio,
        "avatar": _file(user.avatar, "avatar", files),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _privacy(user: User) -> Iterator[dict]:
    yield {
        "profile_activity_members_only": user.activity_members_only,
        "public_leaderboards": {row["community"].slug: row["public"] for row in privacy_rows(user)},
    }


def write_export(user: User, out: IO[bytes]) -> None:
    """Write the member's data archive (zip) into a binary file object."""
    with ZipFile(out, "w", compression=ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        avatar: list = []
        _write_list(archive, "profile.json", _profile(user, avatar), avatar)
        _write_list(archive, "privacy.json", _privacy(user))
        _write_list(
            archive,
            "memberships.json",
            _rows(Membership.objects.filter(user=user), "community__slug", "role", "joined_at"),
        )
        _write_list(
            archive,
            "topics.json",
            _rows(
                Topic.objects.filter(author=user).order_by("pk"),
                "id",
                "community__slug",
                "kind",
                "title",
                "is_locked",
                "is_hidden",
                "created_at",
            ),
        )
        _write_list(archive, "posts.json", _posts(user))
        _write_list(
            archive,
            "reviews.json",
            _rows(
                Review.objects.filter(author=user).order_by("pk"),
                "id",
                "community__slug",
                "product__name",
                "rating",
                "title",
                "body",
                "is_hidden",
                "is_featured",
                "created_at",
                "updated_at",
            ),
        )
        photo_files: list = []
        _write_list(archive, "photos.json", _photos(user, photo_files), photo_files)
        _write_list(
            archive,
            "helpful_votes.json",
            _rows(HelpfulVote.objects.filter(voter=user).order_by("pk"), "post_id", "created_at"),
        )
        _write_list(
            archive,
            "reports.json",
            _rows(
                Report.objects.filter(reporter=user).order_by("pk"),
                "community__slug",
                "target_type",
                "target_id",
                "reason",
                "status",
                "created_at",
            ),
        )
        _write_list(
            archive,
            "ledger.json",
            _rows(
                LedgerEntry.objects.filter(member=user).order_by("pk"),
                "id",
                "community__slug",
                "action",
                "points",
                "reason",
                "reverses_id",
                "created_at",
            ),
        )
        _write_list(archive, "scores.json", _scores(user))
        _write_list(
            archive,
            "badges.json",
            _rows(
                BadgeAward.objects.filter(member=user).order_by("pk"),
                "community__slug",
                "badge__name",
                "tier",
                "granted_by__username",
                "reason",
                "created_at",
                "revoked_at",
                "revoke_reason",
            ),
        )
        kudos_fields = ("community__slug", "message", "points", "created_at", "revoked_at")
        _write_list(
            archive,
            "kudos_received.json",
            _rows(
                Kudos.objects.filter(recipient=user).order_by("pk"),
                "giver__username",
                *kudos_fields,
            ),
        )
        _write_list(
            archive,
            "kudos_given.json",
            _rows(
                Kudos.objects.filter(giver=user).order_by("pk"),
                "recipient__username",
                *kudos_fields,
            ),
        )
        _write_list(
            archive,
            "challenges.json",
            _rows(
                ChallengeProgress.objects.filter(member=user).order_by("pk"),
                "challenge__title",
                "count",
                "joined_at",
                "completed_at",
                "finish_rank",
            ),
        )
        _write_list(
            archive,
            "redemptions.json",
            _rows(
                Redemption.objects.filter(member=user).order_by("pk"),
                "community__slug",
                "reward__name",
                "cost",
                "code",
                "shipping_note",
                "status",
                "created_at",
                "handled_at",
            ),
        )
        _write_list(
            archive,
            "notifications.json",
            _rows(
                Notification.objects.filter(recipient=user).order_by("pk"),
                "verb",
                "description",
                "unread",
                "timestamp",
                "data",
            ),
        )
        _write_list(archive, "notification_preferences.json", _notification_preferences(user))


def export_file(user: User) -> IO[bytes]:
    """The archive in a temporary file (deleted when closed), rewound for streaming."""
    # Not a context manager: the caller streams the file and closes it (FileResponse does).
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_export(user, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def privacy_rows(user: User) -> list[dict]:
    """The member's communities with their public-leaderboard choice (default: shown)."""
    public = dict(Score.objects.filter(member=user).values_list("community_id", "public"))
    memberships = (
        Membership.objects.filter(user=user).select_related("community").order_by("community__name")
    )
    return [
        {"community": m.community, "public": public.get(m.community_id, True)} for m in memberships
    ]
