"""A member types in the header search box and sees the topic, found through a reply."""

from community import demo
from community.models import Topic
from community.services import topics
from tenancy.models import Membership
from tests.e2e.conftest import login, screenshot

COMMUNITY = "ember-roasters"


def test_header_search_finds_a_topic_by_a_word_in_a_reply(server, new_page):
    demo.seed()
    member = (
        Membership.objects.filter(community__slug=COMMUNITY).exclude(user__username="alice").first()
    )
    question = Topic.objects.filter(community__slug=COMMUNITY, is_hidden=False).first()
    topics.reply(user=member.user, topic=question, body="My grinder has a zebrawood handle.")
    page = new_page()
    login(page, server, "alice", demo.DEMO_PASSWORD)

    page.goto(f"{server}/c/{COMMUNITY}/")
    box = page.get_by_role("searchbox", name="Search")
    box.fill("zebrawood")
    box.press("Enter")

    page.wait_for_url(f"{server}/c/{COMMUNITY}/search/?q=zebrawood")
    result = page.locator("[data-search-results] li").first
    result.get_by_role("link", name=question.title).wait_for()
    assert result.locator("mark").inner_text() == "zebrawood"
    screenshot(page, "search-results")
