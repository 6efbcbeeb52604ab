"""Photo uploads: checked, re-encoded and thumbnailed before they are stored."""

from django.db import transaction

from community.models import (
    Photo,
    Product,
    Topic,
)
from community.services.gate import ensure_can_contribute, pace
from community.services.messages import WRONG_COMMUNITY
from core.errors import Invalid
from gamification import actions
from gamification.awards import record_action
from safety.images import ImageRejected, process_upload
from tenancy.models import Community


def process_image(upload):
    try:
        return process_upload(upload)
    except ImageRejected as exc:
        raise Invalid(str(exc)) from exc


def store_photo(*, user, community, processed, caption, product=None, topic=None, review=None):
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
    record_action(user, community, actions.PHOTO_UPLOADED, photo, hold=True)
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
            raise Invalid(WRONG_COMMUNITY)
    processed = process_image(upload)
    pace(user, community, "photo")
    return store_photo(
        user=user,
        community=community,
        processed=processed,
        caption=caption,
        product=product,
        topic=topic,
    )
