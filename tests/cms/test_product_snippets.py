"""The Products snippet: each brand manager keeps their own community's catalogue only."""

import pytest

from cms.access import sync_brand_manager_access
from community.models import Product
from tenancy.models import Membership
from tests.factories import MembershipFactory, ProductFactory

URL = "/cms/snippets/community/product/"


@pytest.fixture
def catalogue(make_community, make_user):
    ember, summit = make_community("ember", name="Ember"), make_community("summit", name="Summit")
    managers = {}
    for community, username in ((ember, "ember-brand"), (summit, "summit-brand")):
        managers[username] = make_user(username)
        MembershipFactory(
            user=managers[username], community=community, role=Membership.Role.BRAND_MANAGER
        )
        sync_brand_manager_access(community)
    kettle = ProductFactory(community=ember, name="Kettle", slug="kettle")
    tent = ProductFactory(community=summit, name="Tent", slug="tent")
    return {"ember": ember, "summit": summit, "kettle": kettle, "tent": tent, **managers}


def product_form(community, name, **extra):
    return {
        "community": community.pk,
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "summary": "",
        "description": "",
        "is_active": "on",
        **extra,
    }


def test_each_brand_manager_lists_only_their_own_products(catalogue, client_for):
    ember = client_for(catalogue["ember-brand"]).get(URL).content.decode()
    summit = client_for(catalogue["summit-brand"]).get(URL).content.decode()
    assert "Kettle" in ember and "Tent" not in ember
    assert "Tent" in summit and "Kettle" not in summit


def test_brand_manager_edits_own_product_and_not_another_communitys(catalogue, client_for):
    client = client_for(catalogue["ember-brand"])
    kettle, tent = catalogue["kettle"], catalogue["tent"]
    response = client.post(
        f"{URL}edit/{kettle.pk}/", product_form(catalogue["ember"], "Gooseneck kettle")
    )
    assert response.status_code == 302
    kettle.refresh_from_db()
    assert kettle.name == "Gooseneck kettle"
    for view in ("edit", "history", "usage"):
        assert client.get(f"{URL}{view}/{tent.pk}/").status_code == 404
    response = client.post(f"{URL}edit/{tent.pk}/", product_form(catalogue["summit"], "Mine now"))
    assert response.status_code == 404
    tent.refresh_from_db()
    assert tent.name == "Tent"


def test_brand_manager_creates_products_only_in_their_community(catalogue, client_for):
    client = client_for(catalogue["ember-brand"])
    response = client.post(f"{URL}add/", product_form(catalogue["summit"], "Sneaky stove"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Product.objects.filter(name="Sneaky stove").exists()
    response = client.post(f"{URL}add/", product_form(catalogue["ember"], "Dripper"))
    assert response.status_code == 302
    assert Product.objects.get(name="Dripper").community == catalogue["ember"]


def test_a_taken_name_or_slug_is_a_form_error_and_a_double_submit_adds_one(catalogue, client_for):
    client = client_for(catalogue["ember-brand"])
    data = product_form(catalogue["ember"], "Dripper")
    assert client.post(f"{URL}add/", data).status_code == 302
    again = client.post(f"{URL}add/", data)
    assert again.status_code == 200
    assert Product.objects.filter(community=catalogue["ember"], slug="dripper").count() == 1
    # The same name in another community is fine.
    summit = client_for(catalogue["summit-brand"])
    assert (
        summit.post(f"{URL}add/", product_form(catalogue["summit"], "Dripper")).status_code == 302
    )


def test_products_are_retired_not_deleted(catalogue, client_for):
    client = client_for(catalogue["ember-brand"])
    kettle = catalogue["kettle"]
    response = client.post(f"{URL}delete/{kettle.pk}/")
    assert response.status_code == 302 and response["Location"] == "/cms/"  # permission denied
    assert Product.objects.filter(pk=kettle.pk).exists()


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.MODERATOR])
def test_members_and_moderators_cannot_reach_products(catalogue, make_user, client_for, role):
    user = make_user(f"someone-{role}")
    MembershipFactory(user=user, community=catalogue["ember"], role=role)
    client = client_for(user)
    kettle = catalogue["kettle"]
    for url in (URL, f"{URL}add/", f"{URL}edit/{kettle.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(f"{URL}edit/{kettle.pk}/", product_form(catalogue["ember"], "Hacked"))
    assert response.status_code == 302
    kettle.refresh_from_db()
    assert kettle.name == "Kettle"


def test_listing_query_count_stays_flat(catalogue, client_for, django_assert_max_num_queries):
    for number in range(30):
        ProductFactory(community=catalogue["ember"], name=f"Bean {number}", slug=f"b{number}")
    client = client_for(catalogue["ember-brand"])
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200
