"""Private means private everywhere: every Wagtail page of a private community is a 404 for
outsiders (served or previewed), and brand managers' choosers show only their own rows/pages."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

from cms import demo
from cms.access import sync_brand_manager_access
from cms.models import CommunityHomePage, CommunityPage
from cms.snippets import CommunityConfigViewSet
from community.models import Product
from gamification import setup
from rewards.models import Reward
from tenancy.models import Membership
from tests.factories import MembershipFactory

OUR_PAGE_MODELS = [model for model in get_page_models() if model is not Page]


@pytest.fixture
def hidden(make_community, make_user):
    """A private community with one page of every type, a member and an outsider."""
    private = make_community("hideout", name="Hideout", is_public=False)
    demo.seed([private])
    home = CommunityHomePage.objects.get(community=private)
    member, outsider = make_user("insider"), make_user("outsider")
    MembershipFactory(user=member, community=private)
    return private, home, member, outsider


def pages_of_every_type(home):
    tree = Page.objects.descendant_of(home, inclusive=True).specific()
    found = {type(page): page for page in tree}
    missing = [model.__name__ for model in OUR_PAGE_MODELS if model not in found]
    assert not missing, f"the demo tree lacks a page of type {missing}"
    return list(found.values())


def test_every_page_type_carries_the_privacy_mixin():
    assert OUR_PAGE_MODELS
    for model in OUR_PAGE_MODELS:
        assert issubclass(model, CommunityPage), model


def test_every_page_of_a_private_community_is_a_404_for_outsiders(client, client_for, hidden):
    _, home, member, outsider = hidden
    outsider_client, member_client = client_for(outsider), client_for(member)
    for page in pages_of_every_type(home):
        url = page.url
        assert client.get(url).status_code == 404, url
        assert outsider_client.get(url).status_code == 404, url
        assert member_client.get(url).status_code == 200, url


def test_previews_of_a_private_communitys_pages_are_a_404_for_outsiders(hidden):
    _, home, member, outsider = hidden
    for page in pages_of_every_type(home):
        request = RequestFactory().get(page.url)
        request.user = outsider
        with pytest.raises(Http404):
            page.serve_preview(request, page.default_preview_mode)


def test_public_communities_pages_stay_public(client, make_community):
    open_one = make_community("plaza", name="Plaza")
    demo.seed([open_one])
    home = CommunityHomePage.objects.get(community=open_one)
    for page in Page.objects.descendant_of(home, inclusive=True).specific():
        assert client.get(page.url).status_code == 200, page.url


@pytest.fixture
def two_brands(make_community, make_user):
    """Brand managers see only their community's rows: ``mine`` is managed, ``theirs`` is not."""
    mine = make_community("ember", name="Ember")
    theirs = make_community("vault", name="Vault", is_public=False)
    brand = make_user("brand")
    MembershipFactory(user=brand, community=mine, role=Membership.Role.BRAND_MANAGER)
    demo.seed([mine, theirs])
    for community in (mine, theirs):
        setup.ensure_defaults(community)
        Product.objects.get_or_create(
            community=community, slug=f"kettle-{community.slug}", defaults={"name": "Kettle"}
        )
        Reward.objects.create(community=community, name="Mug", cost=10)
    sync_brand_manager_access(mine)
    return mine, theirs, brand


def html_of(response) -> str:
    """A chooser answers a modal step (JSON carrying HTML) or, for results, plain HTML."""
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def scoped_snippet_models():
    return [
        model
        for model in get_snippet_models()
        if isinstance(model.snippet_viewset, CommunityConfigViewSet)
    ]


def test_every_snippet_chooser_offers_only_the_managers_communities(client_for, two_brands):
    mine, theirs, brand = two_brands
    client = client_for(brand)
    models = scoped_snippet_models()
    assert {m.__name__ for m in models} >= {
        "Badge",
        "PointRule",
        "Level",
        "CommunityGameSettings",
        "Product",
        "Reward",
    }
    for model in models:
        chooser = model.snippet_viewset.chooser_viewset
        own = model.objects.filter(community=mine).first()
        other = model.objects.filter(community=theirs).first()
        assert own is not None and other is not None, model
        chosen = reverse(chooser.get_url_name("chosen"), args=[own.pk])
        chosen_other = reverse(chooser.get_url_name("chosen"), args=[other.pk])
        for name, query in (("choose", {}), ("choose_results", {"q": str(other)[:20]})):
            body = html_of(client.get(reverse(chooser.get_url_name(name)), query))
            assert f'"{chosen_other}"' not in body, (model, name)
        listing = html_of(client.get(reverse(chooser.get_url_name("choose"))))
        assert f'"{chosen}"' in listing, model
        assert client.get(chosen_other).status_code == 404, model
        assert client.get(chosen).status_code == 200, model
        multiple = reverse(chooser.get_url_name("chosen_multiple"))
        picked = client.get(multiple, {"id": [own.pk, other.pk]}).json()
        assert [item["id"] for item in picked["result"]] == [str(own.pk)], model


def test_the_page_chooser_shows_only_the_managers_pages(client_for, two_brands):
    mine, theirs, brand = two_brands
    client = client_for(brand)
    their_pages = list(Page.objects.descendant_of(theirs.home_page, inclusive=True))
    my_pages = list(Page.objects.descendant_of(mine.home_page, inclusive=True))

    def chooser_page_ids(response):
        body = html_of(response)
        return {page.pk for page in their_pages + my_pages if f'data-id="{page.pk}"' in body}

    site_root = mine.home_page.get_parent()
    assert theirs.home_page.get_parent().pk == site_root.pk
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[site_root.pk]))
    assert chooser_page_ids(browse) == {mine.home_page.pk}
    # Opening their home page by id lists none of the pages under it.
    below_theirs = {page.pk for page in their_pages if page.pk != theirs.home_page.pk}
    inside = client.get(reverse("wagtailadmin_choose_page_child", args=[theirs.home_page.pk]))
    assert not chooser_page_ids(inside) & below_theirs
    for query in ("Challenges", "this week", theirs.name):
        found = client.get(reverse("wagtailadmin_choose_page_search"), {"q": query})
        assert not chooser_page_ids(found) & {page.pk for page in their_pages}, query
    mine_found = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Challenges"})
    assert chooser_page_ids(mine_found) & {page.pk for page in my_pages}
