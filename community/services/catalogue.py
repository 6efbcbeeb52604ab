"""The product catalogue and product reviews."""

from django.db import IntegrityError, transaction

from community.markdown import render_markdown
from community.models import (
    Product,
    Review,
)
from community.services.gate import ensure_brand_manager, ensure_can_contribute, ensure_can_edit
from community.services.messages import WRONG_COMMUNITY
from community.services.photos import process_image, store_photo
from community.services.topics import CONTENT_HIDDEN
from core.errors import Invalid, NotAllowed
from core.retry import retry_on_conflict
from gamification import actions
from gamification.awards import record_action
from tenancy.access import require_member
from tenancy.models import Community

NOT_YOUR_REVIEW = "You can only edit your own review."


ALREADY_REVIEWED = "You already reviewed this product: edit your review instead."


PRODUCT_NAME_TAKEN = "A product with that name already exists in this community."


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
        raise Invalid(PRODUCT_NAME_TAKEN) from exc
    return product


@transaction.atomic
def write_review(
    *, user, product: Product, rating: int, title: str, body: str, image=None, caption: str = ""
) -> Review:
    """One review per member per product; an optional photo is attached to it."""
    community = product.community
    ensure_can_contribute(user=user, community=community, kind="review", body=body)
    processed = process_image(image) if image else None
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
        raise Invalid(ALREADY_REVIEWED) from exc
    record_action(user, community, actions.REVIEW_WRITTEN, review, hold=True)
    if processed:
        store_photo(
            user=user,
            community=community,
            processed=processed,
            caption=caption or title,
            product=product,
            review=review,
        )
    return review


@retry_on_conflict
@transaction.atomic
def edit_review(*, user, review: Review, rating: int, title: str, body: str) -> Review:
    require_member(user, review.community)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.author_id != user.pk:
        raise NotAllowed(NOT_YOUR_REVIEW)
    if review.is_hidden:
        raise Invalid(CONTENT_HIDDEN)
    ensure_can_edit(user=user, community=review.community, old=review.body, new=body)
    review.rating, review.title, review.body = rating, title, body
    review.body_html = render_markdown(body)
    review.save(update_fields=["rating", "title", "body", "body_html", "updated_at"])
    return review
