from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms import demo
from cms.access import sync_brand_manager_access
from cms.models import END_BEFORE_START, ChallengePage, CommunityHomePage
from tenancy.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture
def two_communities(make_community, make_user):
    a, b = make_community("ember", name="Ember"), make_community("summit", name="Summit")
    brand = make_user("brand")
    mod = make_user("mod")
    MembershipFactory(user=brand, community=a, role=Membership.Role.BRAND_MANAGER)
    MembershipFactory(user=mod, community=a, role=Membership.Role.MODERATOR)
    demo.seed([a, b])
    return a, b, brand, mod


def test_pages_render_for_anyone(client, two_communities):
    assert client.get("/ember/").status_code == 200
    body = client.get("/ember/challenges/this-week/").content.decode()
    assert "Brew it your way" in body
    assert "Go to the forum" in client.get("/ember/").content.decode()


def test_open_challenges_block_lists_only_live_open_ones(client, two_communities):
    challenge = ChallengePage.objects.get(url_path__contains="/ember/")
    challenge.ends_at = timezone.now() - timedelta(minutes=1)
    challenge.starts_at = challenge.ends_at - timedelta(days=1)
    challenge.save()
    assert "Brew it your way" not in client.get("/ember/").content.decode()


def test_brand_manager_edits_only_their_own_subtree(two_communities):
    a, b, brand, _ = two_communities
    own = CommunityHomePage.objects.get(community=a)
    other = CommunityHomePage.objects.get(community=b)
    assert own.permissions_for_user(brand).can_edit()
    assert own.permissions_for_user(brand).can_publish()
    assert not other.permissions_for_user(brand).can_edit()
    challenge = ChallengePage.objects.descendant_of(own).get()
    assert challenge.permissions_for_user(brand).can_publish()


def test_admin_access_is_for_brand_managers_only(client_for, two_communities):
    _, _, brand, mod = two_communities
    assert client_for(brand).get("/cms/").status_code == 200
    response = client_for(mod).get("/cms/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_losing_the_role_removes_access(two_communities):
    a, _, brand, _ = two_communities
    Membership.objects.filter(user=brand, community=a).update(role=Membership.Role.MEMBER)
    sync_brand_manager_access(a)
    brand.refresh_from_db()
    home = CommunityHomePage.objects.get(community=a)
    assert not home.permissions_for_user(brand).can_edit()


def test_challenge_must_end_after_it_starts(two_communities):
    challenge = ChallengePage.objects.first()
    challenge.ends_at = challenge.starts_at
    with pytest.raises(ValidationError) as excinfo:
        challenge.full_clean()
    assert END_BEFORE_START in str(excinfo.value)


def test_seeding_twice_creates_nothing_new(two_communities):
    a, b, _, _ = two_communities
    before = ChallengePage.objects.count()
    demo.seed([a, b])
    assert ChallengePage.objects.count() == before


def test_brand_manager_cannot_open_another_communitys_editor(client_for, two_communities):
    _, b, brand, _ = two_communities
    other_home = CommunityHomePage.objects.get(community=b)
    other_challenge = ChallengePage.objects.descendant_of(other_home).get()
    client = client_for(brand)
    for url in (
        f"/cms/pages/{other_challenge.pk}/edit/",
        f"/cms/pages/add/cms/announcementpage/{other_home.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in {302, 403}, url
    own = ChallengePage.objects.get(community=two_communities[0])
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code == 200


def test_members_cannot_reach_the_editing_side(client_for, two_communities, make_user):
    a, *_ = two_communities
    fan = make_user("fan")
    MembershipFactory(user=fan, community=a)
    for url in ("/cms/", "/cms/engagement/", "/cms/snippets/gamification/badge/"):
        response = client_for(fan).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
