"""Two members, two browsers: B finds A's answer helpful; A sees it happen without reloading."""

from community import demo
from community.models import Topic
from community.services import topics
from tests.e2e.conftest import login, screenshot


def test_a_helpful_vote_reaches_the_author_live_and_stays_in_the_inbox(server, new_page):
    demo.seed()
    from accounts.models import User

    alice = User.objects.get(username="alice")
    alice.notifications.mark_all_as_read()
    question = Topic.objects.filter(community__slug="ember-roasters", kind="question").first()
    answer = topics.reply(user=alice, topic=question, body="Grind finer and pour slower.")
    alice.notifications.mark_all_as_read()

    page_a = new_page()
    login(page_a, server, "alice", demo.DEMO_PASSWORD)
    page_a.goto(f"{server}/c/ember-roasters/")
    page_a.wait_for_selector("body[data-live-notifications='on']")
    assert page_a.locator("[data-bell-count]").is_hidden()

    page_b = new_page(width=390, height=844)
    login(page_b, server, "bob", demo.DEMO_PASSWORD)
    page_b.goto(f"{server}{question.get_absolute_url()}")
    post = page_b.locator(f"#post-{answer.pk}")
    post.get_by_role("button", name="Helpful").click()
    page_b.wait_for_load_state()
    assert post.get_by_role("button", name="Helpful").get_attribute("aria-pressed") == "true"

    toast = page_a.locator(".toast", has_text="You earned").first
    toast.wait_for(timeout=15000)
    page_a.get_by_role("link", name="Notifications, 1 unread").wait_for()
    screenshot(page_a, "helpful-vote-toast")

    page_a.reload()
    page_a.get_by_role("link", name="Notifications, 1 unread").click()
    page_a.wait_for_url(f"{server}/notifications/")
    assert page_a.get_by_text("helpful").first.is_visible()
    assert alice.notifications.unread().count() == 1
