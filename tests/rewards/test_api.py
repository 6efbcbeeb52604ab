import pytest
from rest_framework.test import APIClient

from gamification.models import Score
from rewards import services
from rewards.models import Redemption


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_catalog_lists_active_rewards(client, community, make_reward):
    make_reward(name="Free coffee", cost=30)
    make_reward(name="Hidden", active=False)
    response = client.get(f"/api/v1/communities/{community.slug}/rewards/")
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert names == ["Free coffee"]


def test_redeem_returns_the_code_once_per_key(api_for, rich_member, make_reward):
    reward = make_reward(cost=50)
    api = api_for(rich_member)
    first = api.post(f"/api/v1/rewards/{reward.pk}/redeem/", {}, HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post(f"/api/v1/rewards/{reward.pk}/redeem/", {}, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"] != ""
    assert Redemption.objects.count() == 1
    assert Score.objects.get(member=rich_member).balance == 150


def test_refusal_is_409_with_the_message(api_for, rich_member, make_reward):
    reward = make_reward(cost=50, stock=0)
    response = api_for(rich_member).post(
        f"/api/v1/rewards/{reward.pk}/redeem/", {}, HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert response.status_code == 409
    assert response.json() == {"message": services.OUT_OF_STOCK, "errors": {}}


def test_missing_key_is_400(api_for, rich_member, make_reward):
    reward = make_reward()
    response = api_for(rich_member).post(f"/api/v1/rewards/{reward.pk}/redeem/", {})
    assert response.status_code == 400
    assert response.json()["message"] == services.KEY_REQUIRED


def test_anonymous_is_refused_and_unknown_reward_is_404(client, api_for, rich_member):
    assert client.post("/api/v1/rewards/1/redeem/").status_code in (401, 403)
    response = api_for(rich_member).post("/api/v1/rewards/999/redeem/", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 404
