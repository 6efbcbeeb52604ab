"""The social loop: mentions, topic watching, and reply, mention and accepted-answer notifications.

Content services call in here inside their transaction: ``render_post`` before a post is saved
(it links ``@mentions`` of members and enforces the newcomers' mention cap), then
``after_reply`` / ``after_topic`` / ``after_edit`` / ``after_accept`` once it is. The events go
through ``realtime.events.publish_on_commit`` like every other notification: stored at once,
pushed after commit. Nobody is notified of their own act, nor from a community or a topic they
muted; a member both mentioned in and watching a topic gets the mention only.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from community import selectors
from community.markdown import mentions, render_markdown
from community.models import Acceptance, Post, Topic, TopicWatch
from core.errors import Invalid, NotAllowed
from gamification import privileges
from gamification.recognitions import Recognitions
from realtime import event_types, events
from realtime.selectors import muted_among
from tenancy.access import readers_named, require_member
from tenancy.models import Community

# How many people one post may mention (and so notify): new members, everyone else.
NEWCOMER_MENTIONS = 3
MAX_MENTIONS = 10
TOO_MANY_MENTIONS = "A post can mention at most {limit} people{who}; this one mentions {count}."
NEWCOMER_NOTE = " while you are new here"


@dataclass
class RenderedPost:
    """A post body ready to save: its HTML, and the members it mentions (with their ids)."""

    html: str
    mentioned: list = field(default_factory=list)


def render_post(*, user, community: Community, body: str) -> RenderedPost:
    """Render ``body`` with its mentions of members linked, or refuse too many mentions."""
    people = readers_named(community, mentions(body)) if "@" in body else []
    if len(people) > NEWCOMER_MENTIONS:
        newcomer = privileges.is_newcomer(user, community)
        limit = NEWCOMER_MENTIONS if newcomer else MAX_MENTIONS
        if len(people) > limit:
            who = NEWCOMER_NOTE if newcomer else ""
            message = TOO_MANY_MENTIONS.format(limit=limit, who=who, count=len(people))
            raise Invalid(message, field="body")
    urls = {
        person.username.lower(): reverse(
            "community:member", kwargs={"slug": community.slug, "username": person.username}
        )
        for person in people
    }
    return RenderedPost(render_markdown(body, mentions=urls), people)


# --- Watching -------------------------------------------------------------------------------


def watch_level(user, topic: Topic) -> str:
    """The member's level for the topic (no row: not watching)."""
    level = TopicWatch.objects.filter(user=user, topic=topic).values_list("level", flat=True)
    return level.first() or TopicWatch.Level.NORMAL


def set_watch_level(*, user, topic: Topic, level: str) -> TopicWatch:
    """Watch, stop watching or mute a topic of a community the member belongs to."""
    if level not in TopicWatch.Level.values:
        raise Invalid(f"Choose one of: {', '.join(TopicWatch.Level.values)}.", field="level")
    require_member(user, topic.community)
    if topic.is_hidden:
        raise NotAllowed("That topic was hidden by a moderator.")
    watch, _ = TopicWatch.objects.update_or_create(
        user=user, topic=topic, defaults={"level": level}
    )
    return watch


def _watch_when_taking_part(user, topic: Topic) -> None:
    """Starting or replying to a topic watches it, unless the member chose otherwise before."""
    TopicWatch.objects.get_or_create(
        user=user, topic=topic, defaults={"level": TopicWatch.Level.WATCHING}
    )


# --- Notifications --------------------------------------------------------------------------


def after_topic(*, topic: Topic, post: Post, rendered: RenderedPost) -> None:
    _watch_when_taking_part(post.author, topic)
    _publish(post, mentioned=_ids(rendered.mentioned), watchers=set())


def after_reply(*, topic: Topic, post: Post, rendered: RenderedPost) -> None:
    _watch_when_taking_part(post.author, topic)
    watchers = set(
        TopicWatch.objects.filter(topic=topic, level=TopicWatch.Level.WATCHING)
        .filter(user__memberships__community_id=topic.community_id)
        .values_list("user_id", flat=True)
    )
    _publish(post, mentioned=_ids(rendered.mentioned), watchers=watchers)


def after_edit(*, post: Post, old_body: str, rendered: RenderedPost) -> None:
    """An edit notifies only the people it mentions for the first time."""
    before = set(mentions(old_body))
    added = [p.pk for p in rendered.mentioned if p.username.lower() not in before]
    _publish(post, mentioned=set(added), watchers=set())


def after_accept(*, acceptance: Acceptance, by) -> None:
    post, topic = acceptance.post, acceptance.topic
    recipients = _reachable(topic, {post.author_id} - {by.pk})
    found = Recognitions()
    for user_id in recipients:
        found.add(
            event_types.ANSWER_ACCEPTED,
            user_id=user_id,
            **_about(post, topic, actor=by),
        )
    events.publish_on_commit(found)


def _ids(people) -> set[int]:
    return {person.pk for person in people}


def _reachable(topic: Topic, user_ids: set[int]) -> set[int]:
    """Leave out members who muted the topic or its community."""
    if not user_ids:
        return set()
    muted_topic = TopicWatch.objects.filter(
        topic=topic, user_id__in=user_ids, level=TopicWatch.Level.MUTED
    ).values_list("user_id", flat=True)
    return user_ids - set(muted_topic) - muted_among(user_ids, topic.community_id)


def _publish(post: Post, *, mentioned: set[int], watchers: set[int]) -> None:
    topic = post.topic
    author = post.author
    mentioned = _reachable(topic, mentioned - {author.pk})
    repliers = _reachable(topic, watchers - mentioned - {author.pk})
    if not mentioned and not repliers:
        return
    about = _about(post, topic, actor=author)
    found = Recognitions()
    for user_id in sorted(mentioned):
        found.add(event_types.MENTION_RECEIVED, user_id=user_id, **about)
    for user_id in sorted(repliers):
        found.add(
            event_types.REPLY_RECEIVED,
            user_id=user_id,
            collapse=f"reply:{topic.pk}",
            answer=topic.is_question and user_id == topic.author_id,
            **about,
        )
    events.publish_on_commit(found)


def _about(post: Post, topic: Topic, *, actor) -> dict:
    return {
        "community_id": topic.community_id,
        "community": topic.community.name,
        "topic": topic.title,
        "topic_id": topic.pk,
        "post_id": post.pk,
        "actor": actor.username,
        "actor_id": actor.pk,
        "url": selectors.post_url(post, topic),
    }
