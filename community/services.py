"""Writes for communities: membership, topics and posts, votes, answers, products, reviews,
photos, reports and moderation.

Every function takes keyword-only arguments, runs in one transaction and records the member's
award through ``gamification.services`` in that same transaction. Whether a member may
contribute at all is decided in one place, ``ensure_can_contribute``.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.markdown import count_links, render_markdown
from community.models import (
    Acceptance,
    HelpfulVote,
    ModerationAction,
    Photo,
    Post,
    PostRevision,
    Product,
    Report,
    Review,
    TargetType,
    Topic,
)
from gamification import actions, privileges
from gamification import recognitions as rec
from gamification.services import (
    SERIAL_VOTES_REASON,
    member_joined,
    record_action,
    record_helpful_vote,
    restore_for_object,
    reverse_for_object,
)
from realtime import event_types, events
from safety import ratelimit
from safety.images import ImageRejected, process_upload
from tenancy.models import Community, Membership

EDIT_WINDOW = timedelta(minutes=30)
# A second identical submission within this time is a double submit: it returns the first.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)

NOT_A_MEMBER = "You are not a member of this community."
STAFF_CANNOT_LEAVE = "Moderators and brand managers hand over their role before leaving."
MODERATORS_ONLY = "Only moderators of this community can do that."
BRAND_MANAGERS_ONLY = "Only brand managers of this community can manage products."
TOPIC_LOCKED = "This topic is locked: it takes no new replies."
CONTENT_HIDDEN = "That content was hidden by a moderator."
NOT_YOUR_POST = "You can only edit your own posts."
NOT_YOUR_REVIEW = "You can only edit your own review."
EDIT_WINDOW_PASSED = "Posts can only be edited in the first 30 minutes."
OWN_POST_VOTE = "You can't vote your own post helpful."
NOT_AN_ANSWER = "Only a reply to a question can be accepted as its answer."
CANNOT_ACCEPT = "Only the person who asked, or a moderator, can accept an answer."
ALREADY_REVIEWED = "You already reviewed this product: edit your review instead."
PRODUCT_NAME_TAKEN = "A product with that name already exists in this community."
WRONG_COMMUNITY = "That item belongs to another community."
CONTENT_NOT_FOUND = "That item does not exist in this community."
ALREADY_REPORTED = "You already reported this. A moderator will look at it soon."
ALREADY_HIDDEN = "That content is already hidden."
NOT_HIDDEN = "That content is not hidden."
NO_OPEN_REPORTS = "There are no open reports about that item."
REASON_REQUIRED = "Please give a reason."
CANNOT_FEATURE = "Only reviews and photos can be featured."
SERIAL_VOTES_NOTE = (
    "Serial voting: {count} helpful votes from {voter} to {recipient} came in bursts"
    " ({min_votes} or more within {minutes} minutes); {points} points were reversed."
)
POSTING_TOO_SOON = "This community asks members to wait between posts. Please try again in {wait}."
NEW_MEMBER_DAY = timedelta(days=1)
# Which shared rate limit (settings.RATE_LIMITS) each contribution counts against.
RATE_LIMIT_FOR = {
    "topic": "post",
    "reply": "post",
    "vote": "vote",
    "photo": "upload",
    "report": "report",
}

# What a member can do; level privileges from the engine will refine these per kind.
CONTRIBUTION_KINDS = frozenset(
    {"topic", "reply", "edit", "vote", "accept", "review", "photo", "report"}
)
# Contributions that count against a new member's daily allowance (gamification.privileges).
LEVEL_LIMITED_KINDS = frozenset({"topic", "photo", "vote"})


class CommunityError(Exception):
    """A request that can't be done as asked: shown as a form error or a 400."""


class NotAllowed(CommunityError):
    """The person may not do this here: shown as a form error or a 403."""


class TooSoon(CommunityError):
    """A rate limit or the community's pace for posts: a form error or a 429 with Retry-After."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def ensure_can_contribute(*, user, community: Community, kind: str, body: str = "") -> Membership:
    """The one gate for "may this person contribute ``kind`` here now?"."""
    if kind not in CONTRIBUTION_KINDS:
        raise ValueError(f"Unknown contribution kind: {kind}")
    membership = _membership(user, community)
    _claim_allowance(user, community, kind, body)
    return membership


def _membership(user, community: Community) -> Membership:
    membership = None
    if user.is_authenticated:
        membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise NotAllowed(NOT_A_MEMBER)
    return membership


def _claim_allowance(user, community: Community, kind: str, body: str = "") -> None:
    """Count the contribution against the member's level privileges, or refuse it.

    New members have daily allowances of topics, photos, votes and links that higher levels
    lift (``gamification.privileges``). The engine counts the use inside the caller's
    transaction, so a contribution that fails later gives the allowance back.
    """
    try:
        if kind in LEVEL_LIMITED_KINDS:
            privileges.check(user, community, kind)
        links = count_links(body) if body else 0
        if links:
            privileges.check(user, community, "link", count=links)
    except privileges.PrivilegeDenied as exc:
        raise NotAllowed(str(exc)) from exc


def _pace(user, community: Community, kind: str) -> None:
    """Refuse a contribution that comes too soon: the community's pace, then the shared limit.

    Call it once per new contribution, after double-submit detection, so that a repeated
    request neither counts twice nor is refused.
    """
    if RATE_LIMIT_FOR[kind] == "post":
        _enforce_post_interval(user, community)
    try:
        ratelimit.enforce(RATE_LIMIT_FOR[kind], f"user:{user.pk}")
    except ratelimit.RateLimited as exc:
        raise TooSoon(str(exc), retry_after=exc.retry_after) from exc


def _enforce_post_interval(user, community: Community) -> None:
    joined_at = (
        Membership.objects.filter(user=user, community=community)
        .values_list("joined_at", flat=True)
        .first()
    )
    now = timezone.now()
    first_day = joined_at is not None and now - joined_at < NEW_MEMBER_DAY
    interval = max(
        community.post_interval_seconds,
        community.first_day_post_interval_seconds if first_day else 0,
    )
    if not interval:
        return
    last = (
        Post.objects.filter(author=user, topic__community=community)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    wait = interval - int((now - last).total_seconds())
    if wait > 0:
        raise TooSoon(POSTING_TOO_SOON.format(wait=ratelimit.humanize_wait(wait)), retry_after=wait)


def ensure_can_moderate(*, user, community: Community) -> Membership:
    membership = ensure_can_contribute(user=user, community=community, kind="report")
    if not membership.is_staff_role:
        raise NotAllowed(MODERATORS_ONLY)
    return membership


def ensure_brand_manager(*, user, community: Community) -> Membership:
    membership = ensure_can_contribute(user=user, community=community, kind="edit")
    if membership.role != Membership.Role.BRAND_MANAGER:
        raise NotAllowed(BRAND_MANAGERS_ONLY)
    return membership


# --- Membership -----------------------------------------------------------------------------


def join_community(*, user, community: Community, referral_code: str = "") -> Membership:
    """Join as a member; joining twice returns the existing membership.

    A new membership is told to the engine (first join, the invite it came through, the
    completed-profile welcome) in the same transaction.
    """
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(user=user, community=community)
            if created:
                member_joined(member=user, community=community, referral_code=referral_code)
    except IntegrityError:
        membership = Membership.objects.get(user=user, community=community)
    return membership


def leave_community(*, user, community: Community) -> None:
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise CommunityError(NOT_A_MEMBER)
    if membership.is_staff_role:
        raise CommunityError(STAFF_CANNOT_LEAVE)
    membership.delete()
    events.membership_ended(community=community, user_id=user.pk)


# --- Topics and posts -----------------------------------------------------------------------


def _just_posted(**lookup) -> Post | None:
    since = timezone.now() - DOUBLE_SUBMIT_WINDOW
    return Post.objects.filter(created_at__gte=since, **lookup).select_related("topic").first()


@transaction.atomic
def create_topic(*, user, community: Community, kind: str, title: str, body: str) -> Topic:
    _membership(user, community)
    Membership.objects.select_for_update().filter(user=user, community=community).first()
    duplicate = _just_posted(
        author=user,
        is_opening=True,
        body=body,
        topic__community=community,
        topic__title=title,
        topic__kind=kind,
    )
    if duplicate is not None:
        return duplicate.topic
    _claim_allowance(user, community, "topic", body)
    _pace(user, community, "topic")
    topic = Topic.objects.create(community=community, author=user, kind=kind, title=title)
    post = Post.objects.create(
        topic=topic, author=user, is_opening=True, body=body, body_html=render_markdown(body)
    )
    action = actions.QUESTION_ASKED if topic.is_question else actions.TOPIC_CREATED
    record_action(user, community, action, post)
    return topic


@transaction.atomic
def reply(*, user, topic: Topic, body: str) -> Post:
    ensure_can_contribute(user=user, community=topic.community, kind="reply")
    topic = Topic.objects.select_for_update().select_related("community").get(pk=topic.pk)
    if topic.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    if topic.is_locked:
        raise CommunityError(TOPIC_LOCKED)
    duplicate = _just_posted(author=user, topic=topic, is_opening=False, body=body)
    if duplicate is not None:
        return duplicate
    _claim_allowance(user, topic.community, "reply", body)
    _pace(user, topic.community, "reply")
    post = Post.objects.create(topic=topic, author=user, body=body, body_html=render_markdown(body))
    Topic.objects.filter(pk=topic.pk).update(last_activity_at=post.created_at)
    action = actions.ANSWER_POSTED if topic.is_question else actions.REPLY_POSTED
    record_action(user, topic.community, action, post)
    return post


def can_still_edit(post: Post) -> bool:
    return timezone.now() - post.created_at <= EDIT_WINDOW


@transaction.atomic
def edit_post(*, user, post: Post, body: str, title: str = "") -> Post:
    """Change one's own post within the window; the previous text becomes a revision."""
    ensure_can_contribute(user=user, community=post.topic.community, kind="edit")
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.author_id != user.pk:
        raise NotAllowed(NOT_YOUR_POST)
    if post.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    if not can_still_edit(post):
        raise CommunityError(EDIT_WINDOW_PASSED)
    topic = post.topic
    new_title = title.strip() if post.is_opening and title.strip() else topic.title
    if body == post.body and new_title == topic.title:
        return post
    PostRevision.objects.create(
        post=post, title=topic.title if post.is_opening else "", body=post.body
    )
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    if new_title != topic.title:
        topic.title = new_title
        topic.save(update_fields=["title"])
    return post


# --- Helpful votes and accepted answers -----------------------------------------------------


@transaction.atomic
def vote_helpful(*, user, post: Post) -> HelpfulVote:
    """Vote once; voting again returns the existing vote and awards nothing more."""
    community = post.topic.community
    ensure_can_contribute(user=user, community=community, kind="vote")
    if post.author_id == user.pk:
        raise CommunityError(OWN_POST_VOTE)
    if post.is_hidden or post.topic.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    existing = HelpfulVote.objects.filter(post=post, voter=user).first()
    if existing is not None:
        return existing
    _pace(user, community, "vote")
    try:
        with transaction.atomic():
            vote = HelpfulVote.objects.create(post=post, voter=user)
    except IntegrityError:
        return HelpfulVote.objects.get(post=post, voter=user)
    record_helpful_vote(vote=vote, voter=user, recipient=post.author, community=community)
    return vote


@transaction.atomic
def unvote_helpful(*, user, post: Post) -> None:
    """Withdraw a vote and the award it gave; withdrawing twice does nothing."""
    ensure_can_contribute(user=user, community=post.topic.community, kind="vote")
    vote = HelpfulVote.objects.select_for_update().filter(post=post, voter=user).first()
    if vote is None:
        return
    reverse_for_object(vote, reason="helpful vote withdrawn", actor=user)
    vote.delete()


@transaction.atomic
def accept_answer(*, user, post: Post) -> Acceptance:
    """Accept ``post`` as the answer to its question, replacing an earlier choice."""
    topic = Topic.objects.select_for_update().select_related("community").get(pk=post.topic_id)
    membership = ensure_can_contribute(user=user, community=topic.community, kind="accept")
    if not topic.is_question or post.is_opening:
        raise CommunityError(NOT_AN_ANSWER)
    if topic.author_id != user.pk and not membership.is_staff_role:
        raise NotAllowed(CANNOT_ACCEPT)
    if post.is_hidden or topic.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    previous = Acceptance.objects.filter(topic=topic).first()
    if previous is not None:
        if previous.post_id == post.pk:
            return previous
        reverse_for_object(previous, reason="another answer was accepted", actor=user)
        previous.delete()
    acceptance = Acceptance.objects.create(topic=topic, post=post, accepted_by=user)
    if post.author_id != topic.author_id:
        record_action(post.author, topic.community, actions.ANSWER_ACCEPTED, acceptance, actor=user)
    return acceptance


# --- Products and reviews -------------------------------------------------------------------


@transaction.atomic
def save_product(
    *,
    user,
    community: Community,
    name: str,
    slug: str,
    summary: str = "",
    description: str = "",
    is_active: bool = True,
    product: Product | None = None,
) -> Product:
    """Create a product, or update ``product``; brand managers only."""
    ensure_brand_manager(user=user, community=community)
    if product is not None and product.community_id != community.pk:
        raise NotAllowed(WRONG_COMMUNITY)
    product = product or Product(community=community)
    product.name, product.slug, product.summary = name, slug, summary
    product.description, product.is_active = description, is_active
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:
        raise CommunityError(PRODUCT_NAME_TAKEN) from exc
    return product


@transaction.atomic
def write_review(
    *, user, product: Product, rating: int, title: str, body: str, image=None, caption: str = ""
) -> Review:
    """One review per member per product; an optional photo is attached to it."""
    community = product.community
    ensure_can_contribute(user=user, community=community, kind="review")
    processed = _process(image) if image else None
    try:
        with transaction.atomic():
            review = Review.objects.create(
                community=community,
                product=product,
                author=user,
                rating=rating,
                title=title,
                body=body,
                body_html=render_markdown(body),
            )
    except IntegrityError as exc:
        raise CommunityError(ALREADY_REVIEWED) from exc
    record_action(user, community, actions.REVIEW_WRITTEN, review)
    if processed:
        _store_photo(
            user=user,
            community=community,
            processed=processed,
            caption=caption or title,
            product=product,
            review=review,
        )
    return review


@transaction.atomic
def edit_review(*, user, review: Review, rating: int, title: str, body: str) -> Review:
    ensure_can_contribute(user=user, community=review.community, kind="edit")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.author_id != user.pk:
        raise NotAllowed(NOT_YOUR_REVIEW)
    if review.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    review.rating, review.title, review.body = rating, title, body
    review.body_html = render_markdown(body)
    review.save(update_fields=["rating", "title", "body", "body_html", "updated_at"])
    return review


# --- Photos ---------------------------------------------------------------------------------


def _process(upload):
    try:
        return process_upload(upload)
    except ImageRejected as exc:
        raise CommunityError(str(exc)) from exc


def _store_photo(*, user, community, processed, caption, product=None, topic=None, review=None):
    photo = Photo(
        community=community,
        author=user,
        caption=caption,
        product=product,
        topic=topic,
        review=review,
    )
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    photo.save()
    record_action(user, community, actions.PHOTO_UPLOADED, photo)
    return photo


@transaction.atomic
def upload_photo(
    *,
    user,
    community: Community,
    upload,
    caption: str = "",
    product: Product | None = None,
    topic: Topic | None = None,
) -> Photo:
    ensure_can_contribute(user=user, community=community, kind="photo")
    for linked in (product, topic):
        if linked is not None and linked.community_id != community.pk:
            raise CommunityError(WRONG_COMMUNITY)
    processed = _process(upload)
    _pace(user, community, "photo")
    return _store_photo(
        user=user,
        community=community,
        processed=processed,
        caption=caption,
        product=product,
        topic=topic,
    )


# --- Reports and moderation -----------------------------------------------------------------

TARGET_MODELS = {TargetType.POST: Post, TargetType.REVIEW: Review, TargetType.PHOTO: Photo}


def find_target(*, community: Community, target_type: str, target_id: int):
    """The reportable item ``target_type``/``target_id`` of ``community``, or a clear error."""
    model = TARGET_MODELS.get(target_type)
    if model is None:
        raise CommunityError(CONTENT_NOT_FOUND)
    in_community = {"topic__community": community} if model is Post else {"community": community}
    target = model.objects.filter(pk=target_id, **in_community).first()
    if target is None:
        raise CommunityError(CONTENT_NOT_FOUND)
    return target


@transaction.atomic
def report(*, user, community: Community, target_type: str, target_id: int, reason: str) -> Report:
    ensure_can_contribute(user=user, community=community, kind="report")
    if not reason.strip():
        raise CommunityError(REASON_REQUIRED)
    find_target(community=community, target_type=target_type, target_id=target_id)
    if Report.objects.filter(
        reporter=user, target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    ).exists():
        raise CommunityError(ALREADY_REPORTED)
    _pace(user, community, "report")
    try:
        with transaction.atomic():
            return Report.objects.create(
                community=community,
                reporter=user,
                target_type=target_type,
                target_id=target_id,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise CommunityError(ALREADY_REPORTED) from exc


def _audit(
    *, user, community, action, target_type, target_id, reason, member=None
) -> ModerationAction:
    return ModerationAction.objects.create(
        community=community,
        moderator=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        member=member,
    )


def _close_reports(*, community, target_type, target_id, status) -> int:
    return Report.objects.filter(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.OPEN,
    ).update(status=status, closed_at=timezone.now())


def _awarded_objects(target) -> list:
    """Everything whose awards stand or fall with ``target``: itself, votes on it, acceptance."""
    objects = [target]
    if isinstance(target, Post):
        objects += list(target.helpful_votes.all())
        objects += list(target.acceptances.all())
    return objects


def _set_hidden(target, hidden: bool) -> None:
    target.is_hidden = hidden
    target.save(update_fields=["is_hidden"])
    if isinstance(target, Post) and target.is_opening:
        Topic.objects.filter(pk=target.topic_id).update(is_hidden=hidden)


def _moderation_start(*, user, community, target_type, target_id, reason):
    ensure_can_moderate(user=user, community=community)
    if not reason.strip():
        raise CommunityError(REASON_REQUIRED)
    target = find_target(community=community, target_type=target_type, target_id=target_id)
    return type(target).objects.select_for_update().get(pk=target.pk)


@transaction.atomic
def hide(*, user, community: Community, target_type: str, target_id: int, reason: str):
    """Hide an item, take back every point it earned, close its reports, log why."""
    target = _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    if target.is_hidden:
        raise CommunityError(ALREADY_HIDDEN)
    _set_hidden(target, True)
    for obj in _awarded_objects(target):
        reverse_for_object(obj, reason=f"hidden by a moderator: {reason}"[:200], actor=user)
    _close_reports(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.RESOLVED,
    )
    _audit(
        user=user,
        community=community,
        action=ModerationAction.Action.HIDE,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return target


@transaction.atomic
def restore(*, user, community: Community, target_type: str, target_id: int, reason: str):
    """Show a hidden item again and re-award what hiding took back."""
    target = _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    if not target.is_hidden:
        raise CommunityError(NOT_HIDDEN)
    _set_hidden(target, False)
    for obj in _awarded_objects(target):
        restore_for_object(obj, reason=f"restored by a moderator: {reason}"[:200], actor=user)
    _audit(
        user=user,
        community=community,
        action=ModerationAction.Action.RESTORE,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return target


@transaction.atomic
def dismiss_reports(
    *, user, community: Community, target_type: str, target_id: int, reason: str
) -> int:
    """Close the open reports about an item without acting on it."""
    _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    closed = _close_reports(
        community=community,
        target_type=target_type,
        target_id=target_id,
        status=Report.Status.DISMISSED,
    )
    if not closed:
        raise CommunityError(NO_OPEN_REPORTS)
    _audit(
        user=user,
        community=community,
        action=ModerationAction.Action.DISMISS,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return closed


@transaction.atomic
def set_topic_locked(*, user, topic: Topic, locked: bool, reason: str) -> Topic:
    community = topic.community
    ensure_can_moderate(user=user, community=community)
    if not reason.strip():
        raise CommunityError(REASON_REQUIRED)
    Topic.objects.filter(pk=topic.pk).update(is_locked=locked)
    topic.is_locked = locked
    action = ModerationAction.Action.LOCK if locked else ModerationAction.Action.UNLOCK
    _audit(
        user=user,
        community=community,
        action=action,
        target_type="topic",
        target_id=topic.pk,
        reason=reason.strip(),
    )
    return topic


@transaction.atomic
def set_featured(
    *, user, community: Community, target_type: str, target_id: int, featured: bool, reason: str
):
    """Feature (or unfeature) a photo or review; a featured photo earns its author an award."""
    if target_type not in (TargetType.PHOTO, TargetType.REVIEW):
        raise CommunityError(CANNOT_FEATURE)
    target = _moderation_start(
        user=user, community=community, target_type=target_type, target_id=target_id, reason=reason
    )
    if target.is_hidden:
        raise CommunityError(CONTENT_HIDDEN)
    if target.is_featured == featured:
        return target
    target.is_featured = featured
    target.save(update_fields=["is_featured"])
    if featured and isinstance(target, Photo):
        record_action(
            target.author,
            community,
            actions.PHOTO_FEATURED,
            target,
            actor=user,
            key=f"photo-featured:{target.pk}",
        )
    action = ModerationAction.Action.FEATURE if featured else ModerationAction.Action.UNFEATURE
    _audit(
        user=user,
        community=community,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason.strip(),
    )
    return target


@transaction.atomic
def reverse_serial_votes(
    *,
    community: Community,
    voter,
    recipient,
    votes: list[HelpfulVote],
    min_votes: int,
    minutes: int,
) -> int:
    """Take back what one voter's serial votes earned one recipient; log it, alert moderators.

    Reversals go through ``gamification.services`` (reversal rows, never deletions). Votes whose
    awards are already reversed, or that earned nothing, add nothing: when nothing new is
    reversed, nothing is logged or sent, so a second run is a no-op. Returns the points taken.
    """
    reversals = []
    for vote in votes:
        reversals += reverse_for_object(vote, reason=SERIAL_VOTES_REASON)
    points = -sum(row.points for row in reversals)
    if not reversals:
        return 0
    note = SERIAL_VOTES_NOTE.format(
        count=len(votes),
        voter=voter.username,
        recipient=recipient.username,
        min_votes=min_votes,
        minutes=minutes,
        points=points,
    )
    _audit(
        user=None,
        community=community,
        action=ModerationAction.Action.REVERSE_VOTES,
        target_type="member",
        target_id=recipient.pk,
        reason=note[:500],
        member=recipient,
    )
    _alert_staff(community=community, message=note)
    return points


def _alert_staff(*, community: Community, message: str) -> None:
    """A notification (and a live toast after commit) to each moderator and brand manager."""
    url = reverse("community:moderation", kwargs={"slug": community.slug})
    alerts = rec.Recognitions()
    staff = Membership.objects.filter(
        Q(role=Membership.Role.MODERATOR) | Q(role=Membership.Role.BRAND_MANAGER),
        community=community,
    ).values_list("user_id", flat=True)
    for user_id in staff:
        alerts.add(
            event_types.MODERATION_ALERT,
            user_id=user_id,
            community_id=community.pk,
            message=message,
            url=url,
        )
    events.publish_on_commit(alerts)
