"""Every API write endpoint, tried by every kind of caller: only the right ones get through.

Callers: anonymous, a member of another community, a member, a moderator, and the brand manager
of another community. Refusals are JSON errors (401/403/404), never a write.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import Post
from community.services import catalogue, moderation, topics
from tenancy.models import Membership
from tests.community.helpers import image_bytes, join, topic, upload

API = "/api/v1"
ROLES = ("anonymous", "outsider", "member", "moderator", "other_brand_manager")


@pytest.fixture
def world(make_user, make_community, community, member, moderator):
    other = make_community("grinders")
    outsider = make_user("outsider")
    join(outsider, other)
    other_brand = make_user("otherbrand")
    join(other_brand, other, role=Membership.Role.BRAND_MANAGER)
    asker = make_user("asker")
    join(asker, community)
    brand = make_user("brand")
    join(brand, community, role=Membership.Role.BRAND_MANAGER)
    catalogue.save_product(user=brand, community=community, name="Mug", slug="mug")
    question = topic(asker, community, kind="question", title="Which grind?")
    answer = topics.reply(user=brand, topic=question, body="Medium")
    hidden = topics.reply(user=asker, topic=question, body="Spam")
    moderation.hide(
        user=moderator, community=community, target_type="post", target_id=hidden.pk, reason="x"
    )
    users = {"outsider": outsider, "member": member, "moderator": moderator}
    users["other_brand_manager"] = other_brand
    return {"users": users, "question": question, "answer": answer, "hidden": hidden}


def client_as(world, role):
    client = APIClient()
    if role != "anonymous":
        token, _ = Token.objects.get_or_create(user=world["users"][role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def requests(world):
    question, answer, hidden = world["question"], world["answer"], world["hidden"]
    return {
        "topic": ("post", f"{API}/communities/roasters/topics/", {
            "kind": "discussion", "title": "Hello", "body": "Hi all"}),
        "reply": ("post", f"{API}/topics/{question.pk}/posts/", {"body": "Fine"}),
        "vote": ("post", f"{API}/posts/{answer.pk}/helpful/", None),
        "unvote": ("delete", f"{API}/posts/{answer.pk}/helpful/", None),
        "accept": ("post", f"{API}/posts/{answer.pk}/accept/", None),
        "review": ("post", f"{API}/communities/roasters/reviews/", {
            "product": "mug", "rating": 5, "title": "Great", "body": "Warm"}),
        "photo": ("post", f"{API}/communities/roasters/photos/", {
            "image": upload(image_bytes()), "caption": "Mug"}),
        "report": ("post", f"{API}/reports/", {
            "target_type": "post", "target_id": answer.pk, "reason": "Off topic"}),
        "hide": ("post", f"{API}/moderation/post/{answer.pk}/hide/", {"reason": "Rude"}),
        "restore": ("post", f"{API}/moderation/post/{hidden.pk}/restore/", {"reason": "Fine"}),
        "kudos": ("post", f"{API}/communities/roasters/kudos/", {
            "username": "asker", "message": "Thanks"}),
    }  # fmt: skip


MEMBERS = {"member", "moderator"}
ALLOWED = {
    "topic": MEMBERS,
    "reply": MEMBERS,
    "vote": MEMBERS,
    "unvote": MEMBERS,
    "accept": {"moderator"},  # or the asker
    "review": MEMBERS,
    "photo": MEMBERS,
    "report": MEMBERS,
    "hide": {"moderator"},
    "restore": {"moderator"},
    "kudos": {"moderator"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_write_permission_matrix(world, action, role):
    method, url, data = requests(world)[action]
    posts_before = Post.objects.count()
    fmt = "multipart" if action == "photo" else "json"
    response = getattr(client_as(world, role), method)(url, data, format=fmt)
    if role in ALLOWED[action]:
        assert response.status_code < 300, response.content
    else:
        assert response.status_code in (401, 403, 404), response.content
        assert response.json()["message"]
        assert Post.objects.count() == posts_before
