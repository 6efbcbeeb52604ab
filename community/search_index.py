"""Keeping the search index current.

``Topic``, ``Review``, ``Photo`` and ``Product`` are ``wagtail.search`` indexed models
(``search_fields`` in ``community.models``); Wagtail's own signal handlers re-index each of
them when it is saved or deleted. A topic's entry also holds the text of its visible posts, so
a saved or deleted post re-indexes its topic here. Both go through the same task
(``modelsearch.tasks.insert_or_update_object_task``) on the Tasks API: the immediate backend
runs it inline, a queued backend in a worker.

Hidden content needs no re-index to disappear: searches filter ``is_hidden`` (and ``is_active``
for products) on the live rows; a hidden *post* re-indexes its topic so its words leave the
topic's entry. ``manage.py update_index`` rebuilds everything.
"""

from django.db.models.signals import post_delete, post_save
from modelsearch.tasks import insert_or_update_object_task

from community.models import Post, Topic


def refresh_topic(topic_id: int) -> None:
    """Queue a re-index of one topic (its title and the text of its visible posts)."""
    insert_or_update_object_task.enqueue(
        Topic._meta.app_label, Topic._meta.model_name, str(topic_id)
    )


def _post_changed(sender, instance: Post, raw: bool = False, **kwargs) -> None:
    if raw or not Topic.objects.filter(pk=instance.topic_id).exists():
        return  # fixtures, or the topic itself is being deleted
    refresh_topic(instance.topic_id)


def connect() -> None:
    """Called from ``CommunityConfig.ready``."""
    post_save.connect(_post_changed, sender=Post, dispatch_uid="search_post_saved")
    post_delete.connect(_post_changed, sender=Post, dispatch_uid="search_post_deleted")
