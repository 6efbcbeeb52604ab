import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import HelpfulVote, Photo, Report, Review, Topic
from community.services import catalogue, membership, messages, topics, votes
from safety import images
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, points, topic, upload

API = "/api/v1"


@pytest.fixture
def api_for():
    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def bob(make_user, community):
    user = make_user("bob")
    join(user, community)
    return user


@pytest.fixture
def product(make_user, community):
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    return catalogue.save_product(user=brand, community=community, name="Mug", slug="mug")


def assert_error(response, status, message):
    assert response.status_code == status, response.content
    assert response.json()["message"] == message
    assert "errors" in response.json()


def test_token_auth_and_community_reads(api_for, member, community, make_community):
    make_community("secret", is_public=False)
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "alice", "password": "test-pass-123!"}
    )
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get(f"{API}/communities/").json()
    assert [c["slug"] for c in listing["results"]] == ["roasters"]
    assert client.get(f"{API}/communities/roasters/").json()["member_count"] == 1
    assert_error(
        client.get(f"{API}/communities/secret/"), 404, "No Community matches the given query."
    )


def test_join_and_leave(api_for, make_user, moderator, community):
    newbie = make_user("newbie")
    client = api_for(newbie)
    assert client.post(f"{API}/communities/roasters/join/").json()["role"] == "member"
    assert client.post(f"{API}/communities/roasters/join/").status_code == 200
    assert client.post(f"{API}/communities/roasters/leave/").status_code == 204
    assert_error(client.post(f"{API}/communities/roasters/leave/"), 400, messages.NOT_A_MEMBER)
    assert_error(
        api_for(moderator).post(f"{API}/communities/roasters/leave/"),
        400,
        membership.STAFF_CANNOT_LEAVE,
    )


def test_topics_create_list_and_detail(api_for, member, bob, community):
    client = api_for(member)
    created = client.post(
        f"{API}/communities/roasters/topics/",
        {"kind": "question", "title": "Grind?", "body": "<script>x</script>**fine**"},
        format="json",
    )
    assert created.status_code == 201
    topic_id = created.json()["id"]
    listing = api_for().get(f"{API}/communities/roasters/topics/").json()
    assert listing["results"][0]["title"] == "Grind?"
    reply = api_for(bob).post(f"{API}/topics/{topic_id}/posts/", {"body": "Finer"}, format="json")
    assert reply.status_code == 201
    detail = api_for().get(f"{API}/topics/{topic_id}/").json()
    assert [p["body"] for p in detail["posts"]] == ["<script>x</script>**fine**", "Finer"]
    assert "<script" not in detail["posts"][0]["body_html"]


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "poll", "title": "x", "body": "y"},
        {"kind": "discussion", "title": "", "body": "y"},
        {"kind": "discussion", "body": "y"},
        {"kind": "discussion", "title": ["x"], "body": {"a": 1}},
        {"kind": "discussion", "title": "x", "body": "y" * 10001},
    ],
)
def test_malformed_topics_get_field_errors(api_for, member, payload):
    response = api_for(member).post(f"{API}/communities/roasters/topics/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert Topic.objects.count() == 0


def test_non_members_and_anonymous_cannot_write(api_for, make_user, community, bob):
    thread = topic(bob, community)
    outsider = api_for(make_user("outsider"))
    assert_error(
        outsider.post(
            f"{API}/communities/roasters/topics/",
            {"kind": "discussion", "title": "Hi", "body": "x"},
            format="json",
        ),
        403,
        messages.NOT_A_MEMBER,
    )
    assert_error(
        outsider.post(f"{API}/topics/{thread.pk}/posts/", {"body": "x"}, format="json"),
        403,
        messages.NOT_A_MEMBER,
    )
    anonymous = api_for().post(f"{API}/topics/{thread.pk}/posts/", {"body": "x"}, format="json")
    assert_error(anonymous, 403, "Authentication credentials were not provided.")
    assert thread.posts.count() == 1


def test_helpful_vote_toggle_and_own_post(api_for, member, bob, community):
    thread = topic(member, community, kind="question")
    answer = topics.reply(user=bob, topic=thread, body="Yes")
    client = api_for(member)
    url = f"{API}/posts/{answer.pk}/helpful/"
    before = points(bob, community)
    assert client.post(url).json() == {"post_id": answer.pk, "voted": True, "helpful_count": 1}
    assert client.post(url).json()["helpful_count"] == 1
    assert points(bob, community) > before
    assert client.delete(url).json()["voted"] is False
    assert points(bob, community) == before
    assert_error(api_for(bob).post(url), 400, votes.OWN_POST_VOTE)
    assert HelpfulVote.objects.count() == 0


def test_accept_answer_permissions(api_for, member, bob, make_user, community):
    thread = topic(member, community, kind="question")
    answer = topics.reply(user=bob, topic=thread, body="Yes")
    carol = make_user("carol")
    join(carol, community)
    assert_error(api_for(carol).post(f"{API}/posts/{answer.pk}/accept/"), 403, topics.CANNOT_ACCEPT)
    accepted = api_for(member).post(f"{API}/posts/{answer.pk}/accept/")
    assert accepted.json() == {"topic_id": thread.pk, "post_id": answer.pk, "accepted_by": "alice"}


def test_products_and_reviews(api_for, member, product):
    products = api_for().get(f"{API}/communities/roasters/products/").json()
    assert products["results"][0]["slug"] == "mug"
    client = api_for(member)
    url = f"{API}/communities/roasters/reviews/"
    payload = {"product": "mug", "rating": 4, "title": "Nice", "body": "Warm"}
    assert client.post(url, payload, format="json").status_code == 201
    assert_error(client.post(url, payload, format="json"), 400, catalogue.ALREADY_REVIEWED)
    bad_product = client.post(url, {**payload, "product": "nope"}, format="json")
    assert bad_product.status_code == 400
    assert bad_product.json()["errors"]["product"] == [messages.CONTENT_NOT_FOUND]
    for rating in (0, 6, "five"):
        bad = client.post(url, {**payload, "rating": rating}, format="json")
        assert bad.status_code == 400 and "rating" in bad.json()["errors"]
    assert Review.objects.count() == 1
    after = api_for().get(f"{API}/communities/roasters/products/").json()["results"][0]
    assert (after["average_rating"], after["review_count"]) == (4.0, 1)


def test_review_of_a_product_from_another_community(api_for, member, make_community, make_user):
    other = make_community("other")
    brand = make_user("otherbrand")
    join(brand, other, role=Membership.Role.BRAND_MANAGER)
    catalogue.save_product(user=brand, community=other, name="Tent", slug="tent")
    response = api_for(member).post(
        f"{API}/communities/roasters/reviews/",
        {"product": "tent", "rating": 5, "title": "t", "body": "b"},
        format="json",
    )
    assert response.status_code == 400
    assert Review.objects.count() == 0


def test_photo_upload_and_gallery(api_for, member, product):
    client = api_for(member)
    url = f"{API}/communities/roasters/photos/"
    created = client.post(
        url,
        {"image": upload(image_bytes("WEBP"), name="x.webp"), "caption": "Mug", "product": "mug"},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    assert created.json()["product"] == "mug"
    gallery = api_for().get(url).json()
    assert gallery["results"][0]["thumbnail"].endswith("-thumb.jpg")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", images.NOT_AN_IMAGE),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, images.CORRUPT_IMAGE),
    ],
)
def test_bad_photo_upload_is_a_json_error(api_for, member, data, message):
    response = api_for(member).post(
        f"{API}/communities/roasters/photos/",
        {"image": upload(data, name="cat.jpg"), "caption": "x"},
        format="multipart",
    )
    assert_error(response, 400, message)
    assert response.json()["errors"]["image"] == [message]
    assert Photo.objects.count() == 0


def test_photo_upload_without_file_or_as_json(api_for, member):
    client = api_for(member)
    url = f"{API}/communities/roasters/photos/"
    assert client.post(url, {"caption": "x"}, format="multipart").status_code == 400
    assert client.post(url, {"image": "x"}, format="json").status_code == 415


def test_reports_and_moderation(api_for, member, bob, moderator, community):
    thread = topic(bob, community)
    post = thread.posts.get()
    client = api_for(member)
    report = client.post(
        f"{API}/reports/",
        {"target_type": "post", "target_id": post.pk, "reason": "Spam"},
        format="json",
    )
    assert report.status_code == 201
    assert_error(
        client.post(
            f"{API}/reports/",
            {"target_type": "post", "target_id": 999999, "reason": "Spam"},
            format="json",
        ),
        404,
        messages.CONTENT_NOT_FOUND,
    )
    assert_error(
        client.get(f"{API}/communities/roasters/moderation/"), 403, messages.MODERATORS_ONLY
    )
    assert_error(
        client.post(f"{API}/moderation/post/{post.pk}/hide/", {"reason": "x"}, format="json"),
        403,
        messages.MODERATORS_ONLY,
    )
    mod = api_for(moderator)
    earned = points(bob, community)
    assert earned > 0
    queue = mod.get(f"{API}/communities/roasters/moderation/").json()
    assert queue["items"][0]["reports"][0]["reason"] == "Spam"
    missing_reason = mod.post(f"{API}/moderation/post/{post.pk}/hide/", {}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["errors"]
    hidden = mod.post(f"{API}/moderation/post/{post.pk}/hide/", {"reason": "Spam"}, format="json")
    assert hidden.json() == {"target_type": "post", "target_id": post.pk, "is_hidden": True}
    assert Report.objects.get().status == "resolved"
    assert points(bob, community) == 0
    assert mod.get(f"{API}/communities/roasters/moderation/").json()["log"][0]["action"] == "hide"
    restored = mod.post(
        f"{API}/moderation/post/{post.pk}/restore/", {"reason": "Fine"}, format="json"
    )
    assert restored.json()["is_hidden"] is False
    assert points(bob, community) == earned
    assert mod.post(f"{API}/moderation/user/1/hide/", {"reason": "x"}).status_code == 404


def test_moderator_of_another_community_cannot_hide(api_for, make_user, make_community, bob):
    other = make_community("other")
    foreign = make_user("foreign")
    join(foreign, other, role=Membership.Role.MODERATOR)
    post = topic(bob, bob.memberships.get().community).posts.get()
    response = api_for(foreign).post(
        f"{API}/moderation/post/{post.pk}/hide/", {"reason": "x"}, format="json"
    )
    assert_error(response, 403, messages.NOT_A_MEMBER)


def test_schema_documents_every_route(api_for):
    schema = api_for().get(f"{API}/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for route in [
        "/api/v1/communities/",
        "/api/v1/communities/{slug}/topics/",
        "/api/v1/topics/{id}/posts/",
        "/api/v1/posts/{id}/helpful/",
        "/api/v1/communities/{slug}/photos/",
        "/api/v1/reports/",
        "/api/v1/moderation/{target_type}/{id}/hide/",
    ]:
        assert route in paths, route
    assert "delete" in paths["/api/v1/posts/{id}/helpful/"]
