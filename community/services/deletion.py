"""Members deleting their own posts and photos.

Deleting takes back what the item earned exactly as hiding does (``moderation.awarded_objects``
through ``gamification.corrections.reverse_for_object``: the item's own award, the helpful
votes it received, its acceptance), closes open reports about it, and removes the text. A reply
or a photo is deleted outright. An opening post whose topic holds replies by others keeps its
row, emptied, so the conversation stays readable under a "deleted by its author" placeholder;
a topic with no one else's replies goes entirely.
"""

from django.db import transaction
from django.utils import timezone

from community.models import Photo, Post, PostRevision, Report, TargetType, Topic
from community.services.moderation import awarded_objects
from core.errors import Invalid, NotAllowed
from gamification.corrections import reverse_for_object

REASON = "deleted by its author"
NOT_YOURS = "You can only delete your own posts and photos."
ALREADY_DELETED = "That post was already deleted."


def _reverse_and_close(target, target_type: str, *, user) -> None:
    for obj in awarded_objects(target):
        reverse_for_object(obj, reason=REASON, actor=user)
    Report.objects.filter(
        target_type=target_type, target_id=target.pk, status=Report.Status.OPEN
    ).update(status=Report.Status.DISMISSED, closed_at=timezone.now())


@transaction.atomic
def delete_post(*, user, post: Post) -> Topic | None:
    """Delete ``user``'s own post; returns the topic if it still exists."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.author_id != user.pk:
        raise NotAllowed(NOT_YOURS)
    if post.is_deleted_by_author:
        raise Invalid(ALREADY_DELETED)
    topic = post.topic
    if not post.is_opening:
        _reverse_and_close(post, TargetType.POST, user=user)
        post.delete()
        return topic
    if not topic.posts.exclude(author_id=user.pk).exists():
        for own in topic.posts.all():
            _reverse_and_close(own, TargetType.POST, user=user)
        topic.delete()
        return None
    _reverse_and_close(post, TargetType.POST, user=user)
    post.acceptances.all().delete()
    post.helpful_votes.all().delete()
    PostRevision.objects.filter(post=post).delete()
    post.body, post.body_html, post.edited_at = "", "", timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    return topic


@transaction.atomic
def delete_photo(*, user, photo: Photo) -> None:
    """Delete ``user``'s own photo and its files."""
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if photo.author_id != user.pk:
        raise NotAllowed(NOT_YOURS)
    _reverse_and_close(photo, TargetType.PHOTO, user=user)
    files = [photo.image.name, photo.thumbnail.name]
    storage = photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files if name])
