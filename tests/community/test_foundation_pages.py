from django.urls import reverse

from community.services.membership import STAFF_CANNOT_LEAVE
from tenancy.models import Membership
from tests.factories import MembershipFactory


def test_home_lists_public_communities(client, make_community):
    make_community("ember", name="Ember Roasters", tagline="Coffee")
    make_community("secret", name="Secret Club", is_public=False)
    body = client.get(reverse("home")).content.decode()
    assert "Ember Roasters" in body
    assert "Secret Club" not in body


def test_private_community_is_visible_to_its_members_only(
    client, client_for, make_user, make_community
):
    hidden = make_community("secret", name="Secret Club", is_public=False)
    insider = make_user("insider")
    MembershipFactory(user=insider, community=hidden)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client_for(insider).get(hidden.get_absolute_url()).status_code == 200


def test_join_and_leave(client_for, make_user, community):
    user = make_user("newbie")
    c = client_for(user)
    assert c.post(reverse("community:join", args=[community.slug])).status_code == 302
    assert c.post(reverse("community:join", args=[community.slug])).status_code == 302
    assert Membership.objects.filter(user=user, community=community).count() == 1
    c.post(reverse("community:leave", args=[community.slug]))
    assert not Membership.objects.filter(user=user, community=community).exists()


def test_join_needs_login_and_post(client, community):
    url = reverse("community:join", args=[community.slug])
    assert client.post(url).status_code == 302
    assert Membership.objects.count() == 0


def test_moderator_cannot_walk_away_from_the_role(client_for, moderator, community):
    response = client_for(moderator).post(
        reverse("community:leave", args=[community.slug]), follow=True
    )
    assert STAFF_CANNOT_LEAVE in response.content.decode()
    assert Membership.objects.filter(user=moderator).exists()


def test_header_shows_switcher_and_bell(client_for, member, community):
    body = client_for(member).get(reverse("home")).content.decode()
    assert "Switch community" in body
    assert "data-bell-count" in body
    assert community.name in body


def test_home_query_count_is_flat(
    client_for, make_user, make_community, django_assert_max_num_queries
):
    user = make_user("busy")
    for i in range(25):
        c = make_community(f"brand-{i}")
        MembershipFactory(user=user, community=c)
    client = client_for(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))
    assert response.content.decode().count("community-card-band") == 25


def test_leaving_asks_first(client_for, member, community):
    from tenancy.models import Membership

    client = client_for(member)
    page = client.get(reverse("community:leave", args=[community.slug]))
    assert page.status_code == 200
    assert "your points and badges are kept if you join again" in page.content.decode()
    assert Membership.objects.filter(user=member, community=community).exists()
    client.post(reverse("community:leave", args=[community.slug]))
    assert not Membership.objects.filter(user=member, community=community).exists()
