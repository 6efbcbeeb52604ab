"""The brand manager's Wagtail page for the webhook secret: set or generate, shown once, scoped."""

import pytest

from cms.access import sync_brand_manager_access
from commerce.models import ShopConnection
from commerce.services import SECRET_TOO_SHORT
from tenancy.models import Membership
from tests.commerce.payloads import generic_order, post_generic

pytestmark = pytest.mark.django_db
PAGE = "/cms/shop-webhooks/"


@pytest.fixture
def brand_client(community, manager, client_for):
    sync_brand_manager_access(community)
    return client_for(manager)


def test_a_generated_secret_is_shown_once_and_signs_webhooks(community, alice, brand_client):
    response = brand_client.post(PAGE, {"community": community.pk, "secret": ""})

    assert response.status_code == 200
    secret = response.context["shown"]["secret"]
    assert len(secret) >= 32 and secret in response.content.decode()
    assert secret not in ShopConnection.objects.get().encrypted_secret
    assert secret not in brand_client.get(PAGE).content.decode()
    assert post_generic(community.slug, generic_order(), secret=secret).status_code == 200


def test_rotating_replaces_the_old_secret(community, alice, brand_client):
    brand_client.post(PAGE, {"community": community.pk, "secret": "the-first-secret-123"})
    brand_client.post(PAGE, {"community": community.pk, "secret": "the-second-secret-456"})

    assert post_generic(community.slug, generic_order(), "the-first-secret-123").status_code == 401
    assert post_generic(community.slug, generic_order(), "the-second-secret-456").status_code == 200


def test_a_short_secret_is_a_form_error(community, brand_client):
    response = brand_client.post(PAGE, {"community": community.pk, "secret": "short"})

    assert SECRET_TOO_SHORT in response.content.decode()
    assert not ShopConnection.objects.exists()


def test_another_communitys_manager_cannot_set_its_secret(
    community, make_community, make_member, client_for
):
    other = make_community("elsewhere")
    outsider = make_member("outsider", role=Membership.Role.BRAND_MANAGER, into=other)
    sync_brand_manager_access(other)
    client = client_for(outsider)

    response = client.post(PAGE, {"community": community.pk, "secret": "x" * 20})

    assert response.status_code == 200 and "community" in response.context["form"].errors
    assert community.name not in client.get(PAGE).content.decode()
    assert not ShopConnection.objects.exists()


def test_members_cannot_open_the_page(member, client_for):
    response = client_for(member).get(PAGE)

    assert response.status_code == 302 and "/login/" in response["Location"]
