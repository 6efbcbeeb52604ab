"""Row locks on content, taken in the one lock order of ``docs/architecture.md``.

Topic before post. Both are locked ``FOR NO KEY UPDATE OF`` their own table only: a join
(``select_related``) never locks the joined row (the community, the topic of a post), and
inserting rows that point at a locked one (a reply's post, a vote, an acceptance) never waits
on the lock, which only other lockers of the same topic or post do. SQLite has no row locks
and ignores them (it serialises every writer instead).
"""

from community.models import Post, Topic


def lock_topic(topic_id: int) -> Topic:
    """The topic, locked for this transaction, with its community (read, not locked)."""
    return (
        Topic.objects.select_for_update(no_key=True, of=("self",))
        .select_related("community")
        .get(pk=topic_id)
    )


def lock_post(post_id: int, *, topic_id: int | None = None) -> Post:
    """The post, locked, with its author, topic and community (read, not locked).

    A caller that changes the topic too (an edit of the opening post's title, hiding the
    opening post) passes ``topic_id`` so the topic is locked first, as the order asks.
    """
    if topic_id is not None:
        lock_topic(topic_id)
    return (
        Post.objects.select_for_update(no_key=True, of=("self",))
        .select_related("author", "topic__community")
        .get(pk=post_id)
    )
