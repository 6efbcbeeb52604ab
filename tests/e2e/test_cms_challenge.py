from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms import demo as cms_demo
from cms.models import ChallengeAnnouncement, ChallengeIndexPage, ChallengePage, ChallengeProgress
from tenancy.models import Community, Membership
from tests.e2e.conftest import login, screenshot

PASSWORD = "brand-pass-123!"
FORMAT = "%Y-%m-%d %H:%M"
LIVE_MS = 15_000


def ensure_site() -> None:
    """Transactional tests flush the tables, Wagtail's locale, root page and site included."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


def test_published_challenge_reaches_a_member_live_and_pays_out(server, new_page):
    """The issue's scenario: the brand manager publishes a challenge in /cms/; a member who has
    the community page open sees the banner without reloading, completes the challenge by
    starting a discussion and gets the reward toast on the page the form post lands on."""
    from accounts.models import User

    community = Community.objects.create(slug="ember", name="Ember")
    brand = User.objects.create_user(username="brand", password=PASSWORD)
    Membership.objects.create(user=brand, community=community, role=Membership.Role.BRAND_MANAGER)
    ensure_site()
    cms_demo.seed([community])
    fan = User.objects.create_user(username="fan", password=PASSWORD)
    Membership.objects.create(user=fan, community=community)
    index = ChallengeIndexPage.objects.get(url_path__contains="/ember/")

    member = new_page(width=390)
    member.emulate_media(reduced_motion="reduce")  # screenshots without half-faded toasts
    login(member, server, "fan", PASSWORD)
    member.goto(f"{server}/ember/")
    expect(member.locator("body")).to_have_attribute("data-live-community", "on")
    expect(member.locator("body")).to_have_attribute("data-live-notifications", "on")
    expect(member.locator(".live-banner")).to_have_count(0)
    member.evaluate("window.sameDocument = true")  # gone if the page were reloaded

    editor = new_page()
    login(editor, server, "brand", PASSWORD)
    editor.goto(f"{server}/cms/pages/add/cms/challengepage/{index.pk}/")
    now = timezone.now()
    editor.locator("#id_title").fill("Brew talk week")
    editor.locator("#id_summary").fill("Start a discussion about your morning brew.")
    editor.locator("#id_starts_at").fill((now - timedelta(hours=1)).strftime(FORMAT))
    editor.locator("#id_ends_at").fill((now + timedelta(days=3)).strftime(FORMAT))
    editor.locator("#id_goal_action").select_option(label="Start a discussion")
    editor.locator("#id_goal_count").fill("1")
    editor.locator("#id_reward_points").fill("50")
    editor.locator("#id_title").click()  # close any open date picker
    editor.get_by_role("tab", name="Promote").click()
    editor.locator("#id_slug").fill("brew-talk-week")
    screenshot(editor, "cms-editor")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    editor.wait_for_url(f"{server}/cms/pages/{index.pk}/")

    challenge = ChallengePage.objects.get(slug="brew-talk-week")
    assert challenge.live and challenge.community_id == community.pk
    # Everyone but the publisher: the fan.
    assert ChallengeAnnouncement.objects.get(challenge=challenge).recipients == 1

    # Live: the page the member had open grows the banner, no navigation involved.
    banner = member.locator(".live-banner")
    expect(banner).to_contain_text("New challenge: Brew talk week", timeout=LIVE_MS)
    assert member.url == f"{server}/ember/" and member.evaluate("window.sameDocument") is True
    # The stored notification shows on the bell at once (no unread-count query per member).
    expect(member.locator("[data-bell-count]")).to_have_text("1")
    screenshot(member, "cms-challenge-banner")

    banner.get_by_role("link", name="Take part").click()
    member.wait_for_url(f"{server}/ember/challenges/brew-talk-week/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Brew talk week")
    expect(member.locator(".challenge-you")).to_contain_text("0 of 1")

    member.get_by_role("link", name="Go to the forum").first.click()
    member.wait_for_url(f"{server}/c/ember/")
    member.get_by_role("link", name="New topic").click()
    member.get_by_label("Title").fill("My morning V60")
    member.get_by_label("Details").fill("Fifteen grams, two hundred and fifty millilitres.")
    member.get_by_role("button", name="Post topic").click()
    member.wait_for_url(f"{server}/c/ember/topics/*/")

    # What the form post earned is toasted on the page it lands on.
    expect(member.locator(".toast").filter(has_text="You completed Brew talk week")).to_be_visible(
        timeout=LIVE_MS
    )
    expect(member.locator(".toast").filter(has_text="+50 points")).to_be_visible()
    screenshot(member, "cms-challenge-toast")
    progress = ChallengeProgress.objects.get(challenge=challenge, member=fan)
    assert progress.count == 1 and progress.finish_rank == 1

    member.goto(f"{server}/ember/challenges/brew-talk-week/")
    expect(member.locator(".challenge-you")).to_contain_text("Finished · #1")
    expect(member.locator(".finishers")).to_contain_text("fan")
    screenshot(member, "cms-challenge-finished")
