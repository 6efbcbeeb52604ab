"""Community, topic, gallery, product and profile pages run the same queries at any size.

Each test measures a page with a little data, grows the data several times over, and
asserts the count did not move (and stays under a small ceiling).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.services import catalogue, moderation, photos, topics, votes
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, topic, upload

MAX_QUERIES = 14
# The profile also shows the member's game (level, badges, streak) and open challenges; the
# community page its live "top this week" board.
CEILINGS = {"profile": 26, "community": 20}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def crowd(make_user, community):
    """Adds ``count`` new members each call and returns them."""
    made = []

    def make(count):
        start = len(made)
        for i in range(start, start + count):
            user = make_user(f"user{i}")
            join(user, community)
            made.append(user)
        return made[start:]

    return make


def add_activity(users, community, moderator):
    """Per user: an answered question with a vote, a photo (some featured), a reported reply."""
    for i, user in enumerate(users):
        other = users[i - 1]
        question = topic(user, community, kind="question", title=f"Q by {user.username}")
        answer = topics.reply(user=other, topic=question, body="Try a finer grind")
        votes.vote_helpful(user=user, post=answer)
        topics.accept_answer(user=user, post=answer)
        photo = photos.upload_photo(
            user=user, community=community, upload=upload(image_bytes()), caption=f"P{i}"
        )
        if i % 2:
            moderation.set_featured(
                user=moderator,
                community=community,
                target_type="photo",
                target_id=photo.pk,
                featured=True,
                reason="Nice",
            )
        moderation.report(
            user=user, community=community, target_type="post", target_id=answer.pk, reason="?"
        )
    return question


@pytest.mark.parametrize(
    "page",
    ["community", "gallery", "topic", "moderation", "profile", "products"],
)
def test_page_queries_do_not_grow_with_data(
    client_for, moderator, crowd, community, page, django_assert_max_num_queries
):
    first = crowd(3)
    question = add_activity(first, community, moderator)
    urls = {
        "community": community.get_absolute_url(),
        "gallery": reverse("community:gallery", args=[community.slug]),
        "topic": question.get_absolute_url(),
        "moderation": reverse("community:moderation", args=[community.slug]),
        "profile": reverse("community:member", args=[community.slug, first[0].username]),
        "products": reverse("community:products", args=[community.slug]),
    }
    client = client_for(moderator)
    small = queries_for(client, urls[page])
    more = crowd(12)
    add_activity(more, community, moderator)
    for extra in range(8):  # a long thread for the topic page
        topics.reply(user=more[extra], topic=question, body=f"Me too {extra}")
    with django_assert_max_num_queries(CEILINGS.get(page, MAX_QUERIES)):
        grown = queries_for(client, urls[page])
    assert grown == small


def test_product_page_queries_do_not_grow(
    client, make_user, crowd, community, django_assert_max_num_queries
):
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    product = catalogue.save_product(user=brand, community=community, name="Mug", slug="mug")

    def review_all(users):
        for i, user in enumerate(users):
            catalogue.write_review(
                user=user,
                product=product,
                rating=1 + i % 5,
                title="Fine",
                body="Good mug",
                image=upload(image_bytes()),
            )

    review_all(crowd(2))
    small = queries_for(client, product.get_absolute_url())
    review_all(crowd(10))
    with django_assert_max_num_queries(MAX_QUERIES):
        assert queries_for(client, product.get_absolute_url()) == small
