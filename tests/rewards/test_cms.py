import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.engagement import SECTIONS, window_ending
from gamification.models import Level
from gamification.setup import ensure_defaults
from rewards import services
from rewards.models import Reward, RewardCode
from rewards.wagtail_hooks import LEVEL_OF_OTHER_COMMUNITY
from tenancy.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture
def setup(make_community, make_user):
    a, b = make_community("ember", name="Ember"), make_community("summit", name="Summit")
    ensure_defaults(a)
    ensure_defaults(b)
    brand = make_user("brand")
    MembershipFactory(user=brand, community=a, role=Membership.Role.BRAND_MANAGER)
    from cms.access import sync_brand_manager_access

    sync_brand_manager_access(a)
    Reward.objects.create(community=a, name="Own mug", cost=10)
    Reward.objects.create(community=b, name="Other mug", cost=10)
    return a, b, brand


def reward_form(community, **extra):
    return {
        "community": community.pk,
        "name": "Coffee voucher",
        "kind": "discount_code",
        "description": "",
        "cost": 40,
        "stock": "",
        "limit_per_member": "1",
        "valid_from": "",
        "valid_until": "",
        "min_level": "",
        "active": "on",
        "code_source": "pool",
        "flair": "",
        "early_access_hours": "0",
        "early_access_days": "30",
        **extra,
    }


def test_brand_manager_lists_only_their_rewards(setup, client_for):
    *_, brand = setup
    body = client_for(brand).get("/cms/snippets/rewards/reward/").content.decode()
    assert "Own mug" in body and "Other mug" not in body


def test_brand_manager_adds_a_reward_with_a_code_pool(setup, client_for):
    a, _, brand = setup
    upload = SimpleUploadedFile("codes.csv", b"CODE1\nCODE2\n", content_type="text/csv")
    response = client_for(brand).post(
        "/cms/snippets/rewards/reward/add/", reward_form(a, codes_csv=upload)
    )
    assert response.status_code == 302
    reward = Reward.objects.get(name="Coffee voucher")
    assert list(RewardCode.objects.filter(reward=reward).values_list("code", flat=True)) == [
        "CODE1",
        "CODE2",
    ]


def test_form_errors_for_a_foreign_level_and_a_bad_csv(setup, client_for):
    a, b, brand = setup
    foreign = Level.objects.filter(community=b).first()
    upload = SimpleUploadedFile("codes.csv", b" \n,\n", content_type="text/csv")
    response = client_for(brand).post(
        "/cms/snippets/rewards/reward/add/",
        reward_form(a, min_level=foreign.pk, codes_csv=upload),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert LEVEL_OF_OTHER_COMMUNITY in body and services.EMPTY_CSV in body
    assert not Reward.objects.filter(name="Coffee voucher").exists()


def test_dashboard_section_counts_redemptions(community, member, make_reward, give_points):
    give_points(member, community, 100)
    reward = make_reward(cost=30)
    services.redeem(member=member, reward=reward, idempotency_key="a")
    table = SECTIONS["redemptions"](window_ending(community, 7))
    assert table.rows == [[1, 1, 100, 1, 30]]
