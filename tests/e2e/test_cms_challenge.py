from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms import demo as cms_demo
from cms.models import ChallengeAnnouncement, ChallengeIndexPage, ChallengePage
from community.models import Community, Membership
from tests.e2e.conftest import login, screenshot

PASSWORD = "brand-pass-123!"
FORMAT = "%Y-%m-%d %H:%M"


def ensure_site() -> None:
    """Transactional tests flush the tables, Wagtail's locale, root page and site included."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


def test_brand_manager_creates_and_publishes_a_challenge(server, new_page):
    from accounts.models import User

    community = Community.objects.create(slug="ember", name="Ember")
    brand = User.objects.create_user(username="brand", password=PASSWORD)
    Membership.objects.create(user=brand, community=community, role=Membership.Role.BRAND_MANAGER)
    ensure_site()
    cms_demo.seed([community])
    fan = User.objects.create_user(username="fan", password=PASSWORD)
    Membership.objects.create(user=fan, community=community)
    index = ChallengeIndexPage.objects.get(url_path__contains="/ember/")

    page = new_page()
    login(page, server, "brand", PASSWORD)
    page.goto(f"{server}/cms/")
    page.goto(f"{server}/cms/pages/add/cms/challengepage/{index.pk}/")
    now = timezone.now()
    page.locator("#id_title").fill("Latte art week")
    page.locator("#id_summary").fill("Show us your best latte art.")
    page.locator("#id_starts_at").fill((now - timedelta(hours=1)).strftime(FORMAT))
    page.locator("#id_ends_at").fill((now + timedelta(days=3)).strftime(FORMAT))
    page.locator("#id_goal_action").select_option(label="Upload a photo")
    page.locator("#id_goal_count").fill("3")
    page.locator("#id_reward_points").fill("50")
    page.locator("#id_title").click()  # close any open date picker
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill("latte-art-week")
    screenshot(page, "cms-editor")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{server}/cms/pages/{index.pk}/")

    challenge = ChallengePage.objects.get(slug="latte-art-week")
    assert challenge.live and challenge.community_id == community.pk
    assert ChallengeAnnouncement.objects.get(challenge=challenge).recipients == 1

    visitor = new_page(width=390)
    visitor.goto(f"{server}/ember/")
    visitor.get_by_role("link", name="Latte art week").click()
    visitor.wait_for_url(f"{server}/ember/challenges/latte-art-week/")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Latte art week"
    assert visitor.get_by_text("Upload a photo × 3").is_visible()
    screenshot(visitor, "cms-challenge-published")
