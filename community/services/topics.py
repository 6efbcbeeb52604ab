"""Topics, replies, edits and accepted answers.

Each entry point runs in one transaction, retried as a whole on a deadlock
(``core.retry.retry_on_conflict``), and takes its row locks in the lock order of
``docs/architecture.md``: topic, then post (``community.services.locking``), then the member's
own rows (membership, allowances), then score rows in ascending member id (the engine).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.models import (
    Acceptance,
    Post,
    PostRevision,
    Topic,
)
from community.services import social
from community.services.gate import claim_allowance, ensure_can_contribute, ensure_can_edit, pace
from community.services.locking import lock_post, lock_topic
from core.errors import Invalid, NotAllowed
from core.retry import retry_on_conflict
from gamification import actions
from gamification.awards import lock_members, record_action
from gamification.corrections import reverse_for_object
from tenancy.access import require_member
from tenancy.models import Community, Membership

EDIT_WINDOW = timedelta(minutes=30)


# A second identical submission within this time is a double submit: it returns the first.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


TOPIC_LOCKED = "This topic is locked: it takes no new replies."


CONTENT_HIDDEN = "That content was hidden by a moderator."


NOT_YOUR_POST = "You can only edit your own posts."


EDIT_WINDOW_PASSED = "Posts can only be edited in the first 30 minutes."


NOT_AN_ANSWER = "Only a reply to a question can be accepted as its answer."


CANNOT_ACCEPT = "Only the person who asked, or a moderator, can accept an answer."


def just_posted(**lookup) -> Post | None:
    since = timezone.now() - DOUBLE_SUBMIT_WINDOW
    return Post.objects.filter(created_at__gte=since, **lookup).select_related("topic").first()


@retry_on_conflict
@transaction.atomic
def create_topic(*, user, community: Community, kind: str, title: str, body: str) -> Topic:
    require_member(user, community)
    # The member's own row serialises their double submits; the new topic needs no lock.
    Membership.objects.select_for_update().filter(user=user, community=community).first()
    duplicate = just_posted(
        author=user,
        is_opening=True,
        body=body,
        topic__community=community,
        topic__title=title,
        topic__kind=kind,
    )
    if duplicate is not None:
        return duplicate.topic
    claim_allowance(user, community, "topic", body)
    rendered = social.render_post(user=user, community=community, body=body)
    pace(user, community, "topic")
    topic = Topic.objects.create(community=community, author=user, kind=kind, title=title)
    post = Post.objects.create(
        topic=topic, author=user, is_opening=True, body=body, body_html=rendered.html
    )
    action = actions.QUESTION_ASKED if topic.is_question else actions.TOPIC_CREATED
    record_action(user, community, action, post)
    social.after_topic(topic=topic, post=post, rendered=rendered)
    return topic


@retry_on_conflict
@transaction.atomic
def reply(*, user, topic: Topic, body: str) -> Post:
    """Reply to ``topic``; the topic row (only it, not its community) is locked first."""
    ensure_can_contribute(user=user, community=topic.community, kind="reply")
    topic = lock_topic(topic.pk)
    if topic.is_hidden:
        raise Invalid(CONTENT_HIDDEN)
    if topic.is_locked:
        raise Invalid(TOPIC_LOCKED)
    duplicate = just_posted(author=user, topic=topic, is_opening=False, body=body)
    if duplicate is not None:
        return duplicate
    claim_allowance(user, topic.community, "reply", body)
    rendered = social.render_post(user=user, community=topic.community, body=body)
    pace(user, topic.community, "reply")
    post = Post.objects.create(topic=topic, author=user, body=body, body_html=rendered.html)
    Topic.objects.filter(pk=topic.pk).update(last_activity_at=post.created_at)
    action = actions.ANSWER_POSTED if topic.is_question else actions.REPLY_POSTED
    record_action(user, topic.community, action, post)
    social.after_reply(topic=topic, post=post, rendered=rendered)
    return post


def can_still_edit(post: Post) -> bool:
    return timezone.now() - post.created_at <= EDIT_WINDOW


@retry_on_conflict
@transaction.atomic
def edit_post(*, user, post: Post, body: str, title: str = "") -> Post:
    """Change one's own post within the window; the previous text becomes a revision.

    Locks the topic (its title may change with the opening post), then the post.
    """
    require_member(user, post.topic.community)
    post = lock_post(post.pk, topic_id=post.topic_id)
    if post.author_id != user.pk:
        raise NotAllowed(NOT_YOUR_POST)
    if post.is_hidden or post.is_deleted_by_author:
        raise Invalid(CONTENT_HIDDEN)
    if not can_still_edit(post):
        raise Invalid(EDIT_WINDOW_PASSED)
    ensure_can_edit(user=user, community=post.topic.community, old=post.body, new=body)
    topic = post.topic
    new_title = title.strip() if post.is_opening and title.strip() else topic.title
    if body == post.body and new_title == topic.title:
        return post
    rendered = social.render_post(user=user, community=topic.community, body=body)
    PostRevision.objects.create(
        post=post, title=topic.title if post.is_opening else "", body=post.body
    )
    old_body = post.body
    post.body, post.body_html, post.edited_at = body, rendered.html, timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    if new_title != topic.title:
        topic.title = new_title
        topic.save(update_fields=["title"])
    social.after_edit(post=post, old_body=old_body, rendered=rendered)
    return post


@retry_on_conflict
@transaction.atomic
def accept_answer(*, user, post: Post) -> Acceptance:
    """Accept ``post`` as the answer to its question, replacing an earlier choice.

    Locks the topic, then the score rows of both answers' authors in ascending id before the
    earlier acceptance is reversed and the new one awarded.
    """
    topic = lock_topic(post.topic_id)
    post = Post.objects.select_related("author").get(pk=post.pk)  # hiding waits on the topic
    membership = ensure_can_contribute(user=user, community=topic.community, kind="accept")
    if not topic.is_question or post.is_opening:
        raise Invalid(NOT_AN_ANSWER)
    if topic.author_id != user.pk and not membership.is_staff_role:
        raise NotAllowed(CANNOT_ACCEPT)
    if post.is_hidden or topic.is_hidden:
        raise Invalid(CONTENT_HIDDEN)
    previous = Acceptance.objects.filter(topic=topic).select_related("post").first()
    if previous is not None and previous.post_id == post.pk:
        return previous
    authors = [post.author_id] + ([previous.post.author_id] if previous is not None else [])
    lock_members(topic.community, authors)
    if previous is not None:
        reverse_for_object(previous, reason="another answer was accepted", actor=user)
        previous.delete()
    acceptance = Acceptance.objects.create(topic=topic, post=post, accepted_by=user)
    if post.author_id != topic.author_id:
        record_action(post.author, topic.community, actions.ANSWER_ACCEPTED, acceptance, actor=user)
    social.after_accept(acceptance=acceptance, by=user)
    return acceptance
