"""Where brand managers find the redemptions, and how a level-locked reward reads."""

from django.urls import reverse

from gamification import setup
from gamification.models import Level


def manage_url(community):
    return reverse("rewards:manage", args=[community.slug])


def test_brand_manager_finds_manage_redemptions_on_the_community_and_catalog(
    manager, community, client_for
):
    client = client_for(manager)
    for url in (community.get_absolute_url(), reverse("rewards:catalog", args=[community.slug])):
        assert manage_url(community) in client.get(url).content.decode()


def test_members_do_not_see_the_manage_link(member, community, client_for):
    client = client_for(member)
    for url in (community.get_absolute_url(), reverse("rewards:catalog", args=[community.slug])):
        assert manage_url(community) not in client.get(url).content.decode()


def test_catalog_says_at_which_level_a_reward_unlocks(
    member, community, client_for, make_reward, give_points
):
    setup.ensure_defaults(community)
    insider = Level.objects.get(community=community, name="Insider")
    make_reward(name="Cupping session", min_level=insider)
    html = client_for(member).get(reverse("rewards:catalog", args=[community.slug])).content
    assert "Unlocks at level Insider (500 lifetime points)" in html.decode()
    give_points(member, community, 600)
    html = client_for(member).get(reverse("rewards:catalog", args=[community.slug])).content
    assert "Insider and above" in html.decode()
