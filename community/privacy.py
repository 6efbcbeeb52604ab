"""A member's contributions in the data export and on account deletion (see ``accounts.privacy``).

Registered from ``CommunityConfig.ready()``: topics, posts with their revisions, reviews,
photos (with their files), helpful votes and reports for the archive; on deletion with
"remove my content", the contributions are taken out of view.
"""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from accounts.privacy import CHUNK, Attach, Entry, Erasure, Part, json_row, listing, values
from community.models import (
    HelpfulVote,
    Photo,
    Post,
    PostRevision,
    Report,
    Review,
    TargetType,
    Topic,
    TopicWatch,
)

REMOVED_TITLE = "Removed by its author"
REMOVED_HTML = "<p><em>This content was removed by its author.</em></p>"


# --- Export ---------------------------------------------------------------------------------


def _posts(user: User, attach: Attach) -> Iterator[dict]:
    """Posts in id order, each with its revisions, merged from two ordered streams of rows."""
    posts = values(
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
    revisions = values(
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
                    json_row({k: v for k, v in pending.items() if k != "post_id"})
                )
            pending = next(revisions, None)
        yield post


def _photos(user: User, attach: Attach) -> Iterator[dict]:
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
            "file": attach(photo.image, f"photos/{photo.pk}"),
        }


# --- Erasure --------------------------------------------------------------------------------


def _close_reports_on(kind: str, ids) -> None:
    Report.objects.filter(target_type=kind, target_id__in=ids, status=Report.Status.OPEN).update(
        status=Report.Status.DISMISSED, closed_at=timezone.now()
    )


def remove_content(user: User) -> list[str]:
    """Take the member's contributions out of view; return the stored files to delete.

    Topics where other members replied stay readable, with the opening post replaced by a
    placeholder and a neutral title; the member's other topics, replies and reviews are blanked
    and hidden (so links, votes and the ledger's references stay valid); photos are deleted with
    their files. Earlier revisions of the member's posts are deleted. Open reports on what was
    removed are dismissed.
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


def _erase(user: User, erasure: Erasure) -> None:
    """Kept contributions stay, shown as by a deleted member; removed ones leave view. Topic
    watches go: a deleted account is notified of nothing."""
    TopicWatch.objects.filter(user=user).delete()
    if erasure.remove_content:
        erasure.delete_files(*remove_content(user))


PART = Part(
    name="community",
    entries=(
        Entry(
            40,
            "topics.json",
            "topics you started",
            listing(
                lambda user: Topic.objects.filter(author=user).order_by("pk"),
                "id",
                "community__slug",
                "kind",
                "title",
                "is_locked",
                "is_hidden",
                "created_at",
            ),
        ),
        Entry(
            50,
            "posts.json",
            "every post you wrote (opening posts and replies), each with its earlier\n"
            "revisions (what it said before each edit)",
            _posts,
        ),
        Entry(
            60,
            "reviews.json",
            "your product reviews",
            listing(
                lambda user: Review.objects.filter(author=user).order_by("pk"),
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
        ),
        Entry(
            70,
            "photos.json",
            "metadata of the photos you uploaded; the files are in photos/",
            _photos,
        ),
        Entry(71, "photos/", "the stored image files of your photos (re-encoded, without EXIF)"),
        Entry(
            80,
            "helpful_votes.json",
            "posts you marked helpful",
            listing(
                lambda user: HelpfulVote.objects.filter(voter=user).order_by("pk"),
                "post_id",
                "created_at",
            ),
        ),
        Entry(
            85,
            "topic_watches.json",
            "topics you watch, stopped watching or muted (what notifies you)",
            listing(
                lambda user: TopicWatch.objects.filter(user=user).order_by("pk"),
                "topic_id",
                "topic__title",
                "level",
                "updated_at",
            ),
        ),
        Entry(
            90,
            "reports.json",
            "content you reported to moderators",
            listing(
                lambda user: Report.objects.filter(reporter=user).order_by("pk"),
                "community__slug",
                "target_type",
                "target_id",
                "reason",
                "status",
                "created_at",
            ),
        ),
    ),
    erase=_erase,
    erase_order=10,
)
