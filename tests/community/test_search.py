"""Search: topics found through their replies, reviews, photos and products; never what the
reader may not see; the page, the API and bad queries."""

import pytest
from rest_framework.test import APIClient

from community import search
from community.services import catalogue, moderation, topics
from community.services.photos import upload_photo
from core.errors import Invalid
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, topic, upload

API = "/api/v1"


@pytest.fixture
def alice(make_user, community):
    user = make_user("alice")
    join(user, community)
    return user


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


@pytest.fixture
def thread(alice, bob, community):
    """A topic whose only mention of "portafilter" is in bob's reply."""
    started = topic(alice, community, title="Morning routine", body="What do you brew first?")
    reply = topics.reply(user=bob, topic=started, body="I warm the portafilter, then grind.")
    return started, reply


def test_a_topic_is_found_by_a_word_only_in_one_of_its_replies(thread, alice, community):
    started, reply = thread

    hits = search.search(alice, "portafilter", community=community)

    assert [(h.type, h.topic_id) for h in hits] == [("topic", started.pk)]
    assert hits[0].url == f"{started.get_absolute_url()}#post-{reply.pk}"
    assert "<mark>portafilter</mark>" in hits[0].snippet


def test_an_edited_reply_is_searched_by_its_new_words(thread, bob, community):
    started, reply = thread
    topics.edit_post(user=bob, post=reply, body="I rinse the basket first.")

    assert search.search(bob, "portafilter", community=community) == []
    assert [h.topic_id for h in search.search(bob, "basket", community=community)] == [started.pk]


def test_a_hidden_reply_is_never_found(thread, make_member, community, make_user):
    _, reply = thread
    moderator = make_member("mod", role=Membership.Role.MODERATOR)
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=reply.pk, reason="x"
    )

    assert search.search(make_user("outsider"), "portafilter") == []
    assert search.search(moderator, "portafilter", community=community) == []


def test_a_hidden_topic_is_never_found(thread, make_member, community):
    started, _ = thread
    moderator = make_member("mod", role=Membership.Role.MODERATOR)
    opening = started.posts.get(is_opening=True)
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=opening.pk, reason="x"
    )

    assert search.search(moderator, "routine") == []


def test_a_private_community_is_searched_by_its_members_only(make_community, make_user):
    private = make_community("inner-circle", is_public=False)
    insider = make_user("insider")
    join(insider, private)
    topic(insider, private, title="Secret blend", body="Cardamom and smoke.")

    assert search.search(make_user("outsider"), "cardamom") == []
    assert search.search(None, "cardamom") == []
    assert [h.title for h in search.search(insider, "cardamom")] == ["Secret blend"]


def test_reviews_photos_and_products_are_found(community, alice, make_user):
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    mug = catalogue.save_product(
        user=brand, community=community, name="Enamel mug", slug="mug", summary="Speckled blue"
    )
    catalogue.write_review(
        user=alice, product=mug, rating=5, title="Speckled joy", body="Keeps coffee warm."
    )
    upload_photo(
        user=alice, community=community, upload=upload(image_bytes("JPEG")), caption="Speckled sky"
    )

    kinds = sorted(h.type for h in search.search(alice, "speckled", community=community))

    assert kinds == ["photo", "product", "review"]


def test_an_inactive_product_is_not_found(community, make_user):
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    catalogue.save_product(
        user=brand, community=community, name="Old grinder", slug="old", is_active=False
    )

    assert search.search(brand, "grinder") == []


def test_the_title_ranks_above_a_passing_mention(alice, bob, community):
    for n in range(3):  # a term found in every document ranks nothing
        topic(bob, community, title=f"Other {n}", body=f"Beans number {n}.")
    topic(alice, community, title="Notes", body="Some talk of kettles among other things.")
    titled = topic(alice, community, title="Kettles compared", body="Gooseneck or not.")

    assert search.search(alice, "kettles")[0].topic_id == titled.pk


def test_snippets_escape_everything_but_the_marks():
    snippet = search.highlight("<script>alert(1)</script> a <b>grinder</b> here", ["grinder"])

    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;b&gt;<mark>grinder</mark>&lt;/b&gt;" in snippet


@pytest.mark.parametrize("query", ["", "   ", "!!! ??? ***", "x" * 201])
def test_empty_or_absurd_queries_are_refused_with_a_message(query):
    with pytest.raises(Invalid):
        search.query_terms(query)


def test_query_syntax_is_only_words(thread, alice):
    """Quotes, stars and brackets are dropped; the words that remain must all match."""
    assert search.search(alice, '"portafilter* -(') != []


# --- Pages ----------------------------------------------------------------------------------


def test_the_search_page_shows_highlighted_results(client, thread):
    response = client.get("/search/", {"q": "portafilter"})

    assert response.status_code == 200
    assert b"<mark>portafilter</mark>" in response.content
    assert b"Morning routine" in response.content


def test_the_community_search_page_searches_that_community_only(
    client, thread, make_community, make_user
):
    other = make_community("tea-house")
    someone = make_user("someone")
    join(someone, other)
    topic(someone, other, title="Portafilter for tea?", body="Odd idea.")

    response = client.get("/c/roasters/search/", {"q": "portafilter"})

    assert b"Morning routine" in response.content
    assert b"Portafilter for tea?" not in response.content


def test_a_private_community_search_page_is_a_404_for_outsiders(make_community, client):
    make_community("inner-circle", is_public=False)

    assert client.get("/c/inner-circle/search/", {"q": "x"}).status_code == 404


def test_a_bad_query_on_the_page_is_a_message_not_an_error(client, db):
    response = client.get("/search/", {"q": "x" * 500})

    assert response.status_code == 400
    assert search.QUERY_TOO_LONG.encode() in response.content


def test_every_page_has_the_header_search_box(client, community):
    response = client.get(f"/c/{community.slug}/")

    assert b'action="/c/roasters/search/"' in response.content
    assert b"data-header-search" in response.content


# --- API ------------------------------------------------------------------------------------


def test_the_api_answers_paginated_results(thread):
    started, reply = thread

    response = APIClient().get(f"{API}/communities/roasters/search/", {"q": "portafilter"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    assert body["results"] == [
        {
            "type": "topic",
            "topic_id": started.pk,
            "title": "Morning routine",
            "snippet": "I warm the <mark>portafilter</mark>, then grind.",
            "url": f"/c/roasters/topics/{started.pk}/#post-{reply.pk}",
        }
    ]


def test_the_api_refuses_a_missing_query(community):
    response = APIClient().get(f"{API}/communities/roasters/search/")

    assert response.status_code == 400
    assert response.json()["message"] == search.QUERY_EMPTY


def test_the_api_hides_private_communities(make_community):
    make_community("inner-circle", is_public=False)

    response = APIClient().get(f"{API}/communities/inner-circle/search/", {"q": "x"})

    assert response.status_code == 404


def test_the_search_api_is_in_the_schema(db):
    schema = APIClient().get(f"{API}/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/communities/{slug}/search/"]["get"]
    assert any(p["name"] == "q" for p in operation["parameters"])
