"""Read-side queries for communities, topics, products, reviews, photos and moderation.

Page queries run a fixed number of SQL statements whatever the data size: counts are
annotated, related rows are joined or prefetched, lists are paginated.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models import Value as V
from django.utils import timezone

from community.models import (
    Acceptance,
    HelpfulVote,
    ModerationAction,
    Photo,
    Post,
    Product,
    Report,
    Review,
    TargetType,
    Topic,
)
from tenancy.access import readable_communities
from tenancy.models import Community, Membership

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 20
PHOTOS_PER_PAGE = 24
REVIEWS_PER_PAGE = 20
AUDIT_LOG_LENGTH = 30
PROFILE_ITEMS = 5


def visible_communities(user) -> QuerySet[Community]:
    """Communities the user may read (``tenancy.access``), with their member counts."""
    return readable_communities(user).annotate(member_count=Count("memberships"))


def _paginate(queryset, page_number, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(page_number)


# --- Topics ---------------------------------------------------------------------------------


# How a topic list can be sorted: the key in ``?sort=`` and its label.
TOPIC_SORTS = {
    "latest": "Latest activity",
    "new": "Newest",
    "top-week": "Top this week",
    "top-month": "Top this month",
    "unanswered": "Unanswered questions",
}
TOP_PERIODS = {"top-week": timedelta(days=7), "top-month": timedelta(days=30)}


def topics(
    community: Community, *, kind: str | None = None, sort: str = "latest"
) -> QuerySet[Topic]:
    """Visible topics with their reply count and answer state, sorted by ``sort``
    (``TOPIC_SORTS``; anything else is "latest").

    "top-week"/"top-month": topics started in the period, most helpful votes on their visible
    posts first, then most replies. "unanswered": questions without a visible answer.
    """
    visible_reply = Q(posts__is_opening=False, posts__is_hidden=False)
    queryset = (
        Topic.objects.filter(community=community, is_hidden=False)
        .select_related("author", "acceptance", "community")
        .annotate(reply_count=Count("posts", filter=visible_reply, distinct=True))
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if sort == "new":
        return queryset.order_by("-created_at", "-id")
    if sort in TOP_PERIODS:
        since = timezone.now() - TOP_PERIODS[sort]
        return (
            queryset.filter(created_at__gte=since)
            .annotate(
                helpful_total=Count(
                    "posts__helpful_votes", filter=Q(posts__is_hidden=False), distinct=True
                )
            )
            .order_by("-helpful_total", "-reply_count", "-last_activity_at", "-id")
        )
    if sort == "unanswered":
        return queryset.filter(kind=Topic.Kind.QUESTION, reply_count=0).order_by(
            "-created_at", "-id"
        )
    return queryset.order_by("-last_activity_at", "-id")


def topics_page(
    community: Community, *, page=1, kind: str | None = None, sort: str = "latest"
) -> Page:
    return _paginate(topics(community, kind=kind, sort=sort), page, TOPICS_PER_PAGE)


def topic_for(community: Community, pk: int, *, staff: bool) -> Topic | None:
    """The topic if this reader may see it (moderators see hidden topics too)."""
    queryset = Topic.objects.filter(community=community, pk=pk).select_related(
        "author", "acceptance"
    )
    if not staff:
        queryset = queryset.filter(is_hidden=False)
    return queryset.first()


def posts(topic: Topic, *, viewer, staff: bool) -> QuerySet[Post]:
    """Posts of a topic, opening post first, with helpful counts and the viewer's own vote.

    A question's answers come accepted first, then by helpful votes; a discussion's replies
    stay in the order they were written.
    """
    queryset = (
        Post.objects.filter(topic=topic)
        .select_related("author")
        .annotate(
            helpful_count=Count("helpful_votes", distinct=True),
            revision_count=Count("revisions", distinct=True),
        )
    )
    if topic.is_question:
        accepted = Acceptance.objects.filter(topic_id=topic.pk).values("post_id")[:1]
        queryset = queryset.annotate(
            accepted_first=Case(
                When(pk=accepted, then=V(0)), default=V(1), output_field=IntegerField()
            )
        ).order_by("-is_opening", "accepted_first", "-helpful_count", "created_at", "id")
    else:
        queryset = queryset.order_by("-is_opening", "created_at", "id")
    if not staff:
        queryset = queryset.filter(is_hidden=False)
    if viewer.is_authenticated:
        queryset = queryset.annotate(
            voted=Exists(HelpfulVote.objects.filter(post=OuterRef("pk"), voter=viewer))
        )
    return queryset


def posts_page(topic: Topic, *, viewer, staff: bool, page=1) -> Page:
    return _paginate(posts(topic, viewer=viewer, staff=staff), page, POSTS_PER_PAGE)


def post_url(post: Post, topic: Topic) -> str:
    """The post's address on the page of ``topic`` that shows it (as readers see the topic)."""
    before = (
        Post.objects.filter(topic_id=topic.pk, is_hidden=False)
        .filter(
            Q(is_opening=True)
            | Q(created_at__lt=post.created_at)
            | Q(created_at=post.created_at, id__lt=post.pk)
        )
        .exclude(pk=post.pk)
        .count()
    )
    page = before // POSTS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{topic.get_absolute_url()}{query}#post-{post.pk}"


MENTION_SUGGESTIONS = 8


def members_starting_with(community: Community, prefix: str) -> list[dict]:
    """Up to a few members whose username starts with ``prefix`` (the ``@`` autocompletion)."""
    memberships = (
        Membership.objects.filter(
            community=community,
            user__username__istartswith=prefix,
            user__is_active=True,
            user__deleted_at__isnull=True,
        )
        .select_related("user")
        .order_by("user__username")[:MENTION_SUGGESTIONS]
    )
    return [{"username": m.user.username, "name": m.user.display_name} for m in memberships]


def post_in(community: Community, pk: int) -> Post | None:
    return (
        Post.objects.filter(pk=pk, topic__community=community)
        .select_related("topic", "topic__community", "author")
        .first()
    )


# --- Products and reviews -------------------------------------------------------------------


def _rating_stats():
    visible = Q(reviews__is_hidden=False)
    return {
        "review_count": Count("reviews", filter=visible),
        "average_rating": Avg("reviews__rating", filter=visible),
    }


def products(community: Community, *, include_inactive: bool = False) -> QuerySet[Product]:
    queryset = (
        Product.objects.filter(community=community).annotate(**_rating_stats()).order_by("name")
    )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset


def product_in(community: Community, slug: str) -> Product | None:
    return products(community, include_inactive=True).filter(slug=slug).first()


def rating_distribution(product: Product) -> list[dict]:
    """Rows for stars 5..1: how many visible reviews gave that rating, and the share in %."""
    counts = Review.objects.filter(product=product, is_hidden=False).aggregate(
        **{f"s{stars}": Count("id", filter=Q(rating=stars)) for stars in range(1, 6)}
    )
    total = sum(counts.values())
    return [
        {
            "stars": stars,
            "count": counts[f"s{stars}"],
            "percent": round(100 * counts[f"s{stars}"] / total) if total else 0,
        }
        for stars in range(5, 0, -1)
    ]


def reviews_page(product: Product, *, page=1) -> Page:
    queryset = (
        Review.objects.filter(product=product, is_hidden=False)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.filter(is_hidden=False).select_related("community")
            )
        )
    )
    return _paginate(queryset, page, REVIEWS_PER_PAGE)


def review_by(product: Product, user) -> Review | None:
    if not user.is_authenticated:
        return None
    return Review.objects.filter(product=product, author=user).first()


def review_in(community: Community, pk: int) -> Review | None:
    return Review.objects.filter(community=community, pk=pk).select_related("product").first()


# --- Photos ---------------------------------------------------------------------------------


def photos(community: Community) -> QuerySet[Photo]:
    return Photo.objects.filter(community=community, is_hidden=False).select_related(
        "author", "product", "community"
    )


def photos_page(community: Community, *, page=1) -> Page:
    return _paginate(
        photos(community).order_by("-is_featured", "-created_at", "-id"), page, PHOTOS_PER_PAGE
    )


def photo_for(community: Community, pk: int, *, staff: bool) -> Photo | None:
    queryset = Photo.objects.filter(community=community, pk=pk).select_related(
        "author", "product", "topic"
    )
    if not staff:
        queryset = queryset.filter(is_hidden=False)
    return queryset.first()


# --- Moderation -----------------------------------------------------------------------------


def _targets(community: Community, wanted: dict[str, set[int]]) -> dict[tuple[str, int], object]:
    """Load reported items in bulk: one query per kind of item."""
    found = {}
    if wanted.get(TargetType.POST):
        for post in Post.objects.filter(
            topic__community=community, pk__in=wanted[TargetType.POST]
        ).select_related("author", "topic__community"):
            found[(TargetType.POST, post.pk)] = post
    if wanted.get(TargetType.REVIEW):
        for review in Review.objects.filter(
            community=community, pk__in=wanted[TargetType.REVIEW]
        ).select_related("author", "product__community"):
            found[(TargetType.REVIEW, review.pk)] = review
    if wanted.get(TargetType.PHOTO):
        for photo in Photo.objects.filter(
            community=community, pk__in=wanted[TargetType.PHOTO]
        ).select_related("author", "community"):
            found[(TargetType.PHOTO, photo.pk)] = photo
    return found


def moderation_queue(community: Community) -> list[dict]:
    """Open reports grouped by reported item, oldest first, each with the item itself."""
    reports = list(
        Report.objects.filter(community=community, status=Report.Status.OPEN).select_related(
            "reporter"
        )
    )
    wanted: dict[str, set[int]] = {}
    for item in reports:
        wanted.setdefault(item.target_type, set()).add(item.target_id)
    targets = _targets(community, wanted)
    groups: dict[tuple[str, int], dict] = {}
    for item in reports:
        key = (item.target_type, item.target_id)
        group = groups.setdefault(
            key,
            {
                "target_type": item.target_type,
                "target_id": item.target_id,
                "target": targets.get(key),
                "reports": [],
            },
        )
        group["reports"].append(item)
    return list(groups.values())


def audit_log(community: Community, *, limit: int = AUDIT_LOG_LENGTH) -> list[ModerationAction]:
    """The latest moderation actions, each with ``item`` (the post, review or photo it was
    about, or None) so the log can link it; one query per kind of item."""
    entries = list(
        ModerationAction.objects.filter(community=community).select_related("moderator", "member")[
            :limit
        ]
    )
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in TargetType.values and entry.target_id:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    targets = _targets(community, wanted)
    for entry in entries:
        entry.item = targets.get((entry.target_type, entry.target_id))
    return entries


def open_report_count(community: Community) -> int:
    """Open reports waiting in the moderation queue (the count on the Moderation tab)."""
    return Report.objects.filter(community=community, status=Report.Status.OPEN).count()


def own_hidden_item(community: Community, user, target_type: str, pk: int):
    """The hidden post, review or photo ``user`` wrote, or None."""
    if target_type not in TargetType.values or not user.is_authenticated:
        return None
    target = _targets(community, {target_type: {pk}}).get((target_type, pk))
    if target is None or target.author_id != user.pk or not target.is_hidden:
        return None
    return target


def hidden_because(community: Community, target_type: str, pk: int) -> str:
    """The reason a moderator gave when they last hid the item ("" if none is logged)."""
    return (
        ModerationAction.objects.filter(
            community=community,
            action=ModerationAction.Action.HIDE,
            target_type=target_type,
            target_id=pk,
        )
        .order_by("-created_at", "-pk")
        .values_list("reason", flat=True)
        .first()
        or ""
    )


@dataclass(frozen=True)
class SerialVotes:
    """Helpful votes from one voter to one recipient that came in bursts."""

    voter_id: int
    recipient_id: int
    vote_ids: list[int]


def serial_votes(
    community: Community, *, min_votes: int, within: timedelta, since: datetime
) -> list[SerialVotes]:
    """Voter -> recipient pairs with ``min_votes`` or more votes inside some ``within`` span.

    Every vote that belongs to such a burst is returned (a long run of bursts is one pair).
    One query ordered by pair and time, then a two-pointer sweep per pair.
    """
    rows = (
        HelpfulVote.objects.filter(post__topic__community=community, created_at__gte=since)
        .order_by("voter_id", "post__author_id", "created_at", "pk")
        .values_list("voter_id", "post__author_id", "pk", "created_at")
    )
    found = []
    for (voter_id, recipient_id), pair in groupby(rows, key=lambda row: (row[0], row[1])):
        votes = [(pk, created_at) for _, _, pk, created_at in pair]
        flagged: set[int] = set()
        start = 0
        for end in range(len(votes)):
            while votes[end][1] - votes[start][1] > within:
                start += 1
            if end - start + 1 >= min_votes:
                flagged.update(pk for pk, _ in votes[start : end + 1])
        if flagged:
            found.append(SerialVotes(voter_id, recipient_id, sorted(flagged)))
    return found


def hidden_items(community: Community) -> list[dict]:
    """Hidden posts, reviews and photos, so moderators can find and restore them."""
    wanted = {
        TargetType.POST: set(
            Post.objects.filter(topic__community=community, is_hidden=True).values_list(
                "pk", flat=True
            )[:50]
        ),
        TargetType.REVIEW: set(
            Review.objects.filter(community=community, is_hidden=True).values_list("pk", flat=True)[
                :50
            ]
        ),
        TargetType.PHOTO: set(
            Photo.objects.filter(community=community, is_hidden=True).values_list("pk", flat=True)[
                :50
            ]
        ),
    }
    targets = _targets(community, wanted)
    return [
        {"target_type": kind, "target_id": pk, "target": target}
        for (kind, pk), target in targets.items()
    ]


# --- Member profiles ------------------------------------------------------------------------


def member_profile(
    community: Community, username: str, *, viewer_is_member: bool = True, viewer=None
) -> dict | None:
    """A member's page: the membership, contribution counts and their latest visible items.

    A member who chose ``activity_members_only`` shows only the card (no counts or items) to
    readers who are not members of this community; they and site staff always see it all.
    """
    member = (
        Membership.objects.filter(community=community, user__username__iexact=username)
        .select_related("user")
        .first()
    )
    if member is None:
        return None
    user = member.user
    show_activity = (
        not user.activity_members_only
        or viewer_is_member
        or (viewer is not None and (viewer.pk == user.pk or viewer.is_staff))
    )
    if not show_activity:
        return {"profile_membership": member, "profile_user": user, "show_activity": False}
    visible_posts = Post.objects.filter(
        author=user, topic__community=community, is_hidden=False, topic__is_hidden=False
    )
    visible_reviews = Review.objects.filter(author=user, community=community, is_hidden=False)
    visible_photos = Photo.objects.filter(author=user, community=community, is_hidden=False)
    counts = {
        "topics": visible_posts.filter(is_opening=True).count(),
        "replies": visible_posts.filter(is_opening=False).count(),
        "reviews": visible_reviews.count(),
        "photos": visible_photos.count(),
    }
    return {
        "profile_membership": member,
        "profile_user": user,
        "show_activity": True,
        "counts": counts,
        "recent_posts": list(
            visible_posts.select_related("topic__community").order_by("-created_at")[:PROFILE_ITEMS]
        ),
        "recent_reviews": list(
            visible_reviews.select_related("product__community").order_by("-created_at")[
                :PROFILE_ITEMS
            ]
        ),
        "recent_photos": list(
            visible_photos.select_related("community").order_by("-created_at")[: PROFILE_ITEMS * 2]
        ),
    }


def community_of_target(target_type: str, target_id: int) -> Community | None:
    """The community a reportable item belongs to, so API calls can be checked against it."""
    if target_type == TargetType.POST:
        lookup = Post.objects.filter(pk=target_id).values("topic__community_id")
    elif target_type == TargetType.REVIEW:
        lookup = Review.objects.filter(pk=target_id).values("community_id")
    elif target_type == TargetType.PHOTO:
        lookup = Photo.objects.filter(pk=target_id).values("community_id")
    else:
        return None
    return Community.objects.filter(pk__in=lookup).first()
