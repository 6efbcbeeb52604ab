import pytest

from gamification.models import Badge, CommunityGameSettings, Level, PointRule
from tenancy.models import Membership
from tests.factories import MembershipFactory

MANUAL = {"criterion": "manual", "description": "Thanks", "icon": "★"}


@pytest.fixture
def setup(make_community, make_user):
    a, b = make_community("ember", name="Ember"), make_community("summit", name="Summit")
    brand = make_user("brand")
    MembershipFactory(user=brand, community=a, role=Membership.Role.BRAND_MANAGER)
    from cms.access import sync_brand_manager_access

    sync_brand_manager_access(a)
    own = Badge.objects.create(community=a, slug="own", name="Own badge", **MANUAL)
    other = Badge.objects.create(community=b, slug="other", name="Other badge", **MANUAL)
    return a, b, brand, own, other


def test_brand_manager_lists_only_their_communitys_rows(setup, client_for):
    a, b, brand, own, other = setup
    PointRule.objects.create(community=a, action="review.written", points=7)
    PointRule.objects.create(community=b, action="reply.posted", points=99)
    client = client_for(brand)
    body = client.get("/cms/snippets/gamification/badge/").content.decode()
    assert "Own badge" in body and "Other badge" not in body
    rules = client.get("/cms/snippets/gamification/pointrule/").content.decode()
    assert "review.written" in rules and "reply.posted" not in rules


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_brand_manager_cannot_open_another_communitys_row(setup, client_for, view):
    *_, brand, own, other = setup
    client = client_for(brand)
    assert client.get(f"/cms/snippets/gamification/badge/{view}/{own.pk}/").status_code == 200
    assert client.get(f"/cms/snippets/gamification/badge/{view}/{other.pk}/").status_code == 404
    assert client.post(f"/cms/snippets/gamification/badge/{view}/{other.pk}/").status_code == 404
    assert Badge.objects.filter(pk=other.pk).exists()


def badge_form(community, slug):
    return {
        "community": community.pk,
        "name": slug.title(),
        "slug": slug,
        "icon": "☕",
        "description": "Made a great brew",
        "criterion": "manual",
        "action": "",
        "bronze": "",
        "silver": "",
        "gold": "",
    }


def test_brand_manager_creates_rows_only_for_their_community(setup, client_for):
    a, b, brand, *_ = setup
    client = client_for(brand)
    response = client.post("/cms/snippets/gamification/badge/add/", badge_form(b, "sneaky"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Badge.objects.filter(slug="sneaky").exists()
    response = client.post("/cms/snippets/gamification/badge/add/", badge_form(a, "barista"))
    assert response.status_code == 302
    assert Badge.objects.get(slug="barista").community == a


def test_invalid_thresholds_are_a_form_error(setup, client_for):
    a, _, brand, *_ = setup
    data = {
        **badge_form(a, "climber"),
        "criterion": "lifetime_points",
        "bronze": "50",
        "silver": "10",
    }
    response = client_for(brand).post("/cms/snippets/gamification/badge/add/", data)
    assert response.status_code == 200
    assert not Badge.objects.filter(slug="climber").exists()


def test_level_edit_is_scoped(setup, client_for):
    a, b, brand, *_ = setup
    mine = Level.objects.create(community=a, name="Barista", min_points=10)
    theirs = Level.objects.create(community=b, name="Summiteer", min_points=10)
    client = client_for(brand)
    response = client.post(
        f"/cms/snippets/gamification/level/edit/{mine.pk}/",
        {"community": a.pk, "name": "Head barista", "min_points": 20, "early_access_hours": 6},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.early_access_hours) == ("Head barista", 6)
    assert client.get(f"/cms/snippets/gamification/level/edit/{theirs.pk}/").status_code == 404


def test_members_and_moderators_cannot_reach_snippets(setup, make_user, client_for):
    a, *_, own, _ = setup
    mod = make_user("mod")
    MembershipFactory(user=mod, community=a, role=Membership.Role.MODERATOR)
    response = client_for(mod).get(f"/cms/snippets/gamification/badge/edit/{own.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_superuser_sees_every_community(setup, make_user, client_for):
    admin = make_user("root", is_superuser=True, is_staff=True)
    body = client_for(admin).get("/cms/snippets/gamification/badge/").content.decode()
    assert "Own badge" in body and "Other badge" in body


def loyalty_form(community, **fields):
    return {
        "community": community.pk,
        "pending_days": "0",
        "expiry_months": "",
        "referral_monthly_cap": "10",
        **fields,
    }


def test_brand_manager_sets_pending_days_and_expiry(setup, client_for):
    a, b, brand, *_ = setup
    mine = CommunityGameSettings.objects.create(community=a)
    theirs = CommunityGameSettings.objects.create(community=b)
    client = client_for(brand)
    listing = client.get("/cms/snippets/gamification/communitygamesettings/").content.decode()
    assert "Ember" in listing and "Summit" not in listing
    url = f"/cms/snippets/gamification/communitygamesettings/edit/{mine.pk}/"
    response = client.post(url, loyalty_form(a, pending_days="7", expiry_months="6"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.pending_days, mine.expiry_months) == (7, 6)
    edit_theirs = f"/cms/snippets/gamification/communitygamesettings/edit/{theirs.pk}/"
    assert client.get(edit_theirs).status_code == 404
    assert client.post(f"/cms/snippets/gamification/communitygamesettings/delete/{mine.pk}/")
    assert CommunityGameSettings.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pending_days": "40", "expiry_months": "1"}, "less time than it takes them to expire"),
        ({"pending_days": "61"}, "less than or equal to 60"),
        ({"expiry_months": "0"}, "greater than or equal to 1"),
        ({"pending_days": "soon"}, "Enter a whole number"),
    ],
)
def test_bad_loyalty_settings_are_form_errors(setup, client_for, fields, message):
    a, _, brand, *_ = setup
    settings = CommunityGameSettings.objects.create(community=a)
    response = client_for(brand).post(
        f"/cms/snippets/gamification/communitygamesettings/edit/{settings.pk}/",
        loyalty_form(a, **fields),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    settings.refresh_from_db()
    assert (settings.pending_days, settings.expiry_months) == (0, None)
