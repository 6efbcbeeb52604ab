from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from community.services import recognition
from gamification import actions, awards, corrections, setup
from gamification.models import Kudos
from tenancy import access


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_leaderboard_shape_and_own_rank(api_for, community, member, make_member, award):
    now = timezone.now()
    bob = make_member("bob")
    award(bob, community, actions.REVIEW_WRITTEN, at=now - timedelta(minutes=3))
    award(member, community, actions.REPLY_POSTED, at=now)
    url = reverse("api-leaderboard", args=[community.slug])
    data = api_for(member).get(url, {"period": "all", "limit": 1}).json()
    assert data == {
        "period": "all",
        "entries": [{"rank": 1, "username": "bob", "points": 20, "level": "Newcomer"}],
        "me": {"rank": 2, "points": 12, "gap_to_next": 8},
    }


def test_leaderboard_anonymous_and_bad_input(api, community):
    url = reverse("api-leaderboard", args=[community.slug])
    assert api.get(url).json() == {"period": "week", "entries": [], "me": None}
    response = api.get(url, {"period": "year", "limit": "0"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"period", "limit"} and body["message"]
    assert api.get(reverse("api-leaderboard", args=["nope"])).status_code == 404


def test_member_progress(api, api_for, community, member, make_obj):
    awards.record_action(member, community, actions.REVIEW_WRITTEN, make_obj())
    own = api_for(member)
    data = own.get(reverse("api-member-progress", args=[community.slug, "ALICE"])).json()
    assert (data["username"], data["points"], data["balance"]) == ("alice", 20, 20)
    assert data["level"] == {
        "name": "Newcomer",
        "next_name": "Regular",
        "points_to_next": 30,
        "percent": 40,
    }
    reviewer = next(b for b in data["badges"] if b["slug"] == "reviewer")
    assert reviewer["tier"] == "Bronze" and reviewer["next_threshold"] == 10
    assert data["streak"] == {"current": 1, "longest": 1}
    assert (
        api.get(reverse("api-member-progress", args=[community.slug, "ghost"])).status_code == 404
    )


def test_my_ledger(api, api_for, community, member, make_obj):
    post = make_obj()
    awards.record_action(member, community, actions.TOPIC_CREATED, post)
    corrections.reverse_for_object(post, reason="spam")
    url = reverse("api-my-ledger")
    assert api.get(url, {"community": community.slug}).status_code == 403
    data = api_for(member).get(url, {"community": community.slug}).json()
    assert data["count"] == 4
    assert data["results"][0]["reason"].startswith("Reversed:")
    assert {r["points"] for r in data["results"]} == {5, 10, -5, -10}
    missing = api_for(member).get(url)
    assert missing.status_code == 400 and "community" in missing.json()["errors"]


class TestKudosApi:
    def url(self, community):
        return reverse("api-kudos", args=[community.slug])

    def test_moderator_gives_kudos(self, api_for, moderator, member, community):
        setup.ensure_defaults(community)
        response = api_for(moderator).post(
            self.url(community),
            {"username": "alice", "message": "Thanks!", "points": 15, "badge": "community-hero"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["badge"] == "community-hero"
        assert response.json()["points"] == 15

    def test_member_is_forbidden(self, api_for, member, community):
        response = api_for(member).post(
            self.url(community), {"username": "alice", "message": "me"}, format="json"
        )
        assert response.status_code == 403
        assert response.json() == {"message": access.STAFF_ONLY, "errors": {}}

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"message": "hi"}, "username"),
            ({"username": "alice", "message": "hi", "points": -1}, "points"),
            ({"username": "alice", "message": "hi", "badge": "reviewer"}, "badge"),
            ({"username": "alice", "message": "x" * 501}, "message"),
        ],
    )
    def test_bad_input(self, api_for, moderator, member, community, payload, field):
        setup.ensure_defaults(community)
        response = api_for(moderator).post(self.url(community), payload, format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert not Kudos.objects.exists()

    def test_service_refusal_is_a_400_message(self, api_for, moderator, community):
        response = api_for(moderator).post(
            self.url(community), {"username": "morgan", "message": "me"}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["message"] == recognition.NO_SELF_KUDOS

    def test_malformed_json(self, api_for, moderator, community):
        response = api_for(moderator).post(
            self.url(community), "{not json", content_type="application/json"
        )
        assert response.status_code == 400


def test_schema_documents_the_routes(api):
    body = api.get(reverse("api-schema")).content.decode()
    for route in ("leaderboard", "me/ledger", "kudos", "members/{username}"):
        assert route in body
