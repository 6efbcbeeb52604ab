"""Replies and mentions in real browsers: bob answers on the real topic page while alice has it
open; alice's toast and bell move without a reload. ``@`` suggestions in the real editor."""

from community import demo
from community.services import topics
from tests.e2e.conftest import login, screenshot


def alices_topic(title: str):
    demo.seed()
    from accounts.models import User
    from tenancy.models import Community

    alice = User.objects.get(username="alice")
    community = Community.objects.get(slug="ember-roasters")
    started = topics.create_topic(
        user=alice, community=community, kind="discussion", title=title, body="What do you use?"
    )
    alice.notifications.mark_all_as_read()
    return alice, started


def test_bobs_reply_reaches_alice_live_on_the_open_topic_page(server, new_page):
    alice, started = alices_topic("Morning grinders")

    page_a = new_page()
    login(page_a, server, "alice", demo.DEMO_PASSWORD)
    page_a.goto(f"{server}{started.get_absolute_url()}")
    page_a.wait_for_selector("body[data-live-notifications='on']")
    assert page_a.locator("[data-bell-count]").is_hidden()
    assert page_a.get_by_text("Watching: every reply notifies you.").is_visible()

    page_b = new_page(width=390, height=844)
    login(page_b, server, "bob", demo.DEMO_PASSWORD)
    page_b.goto(f"{server}{started.get_absolute_url()}")
    page_b.get_by_label("Your reply").fill("A hand grinder, every day.")
    page_b.get_by_role("button", name="Post reply").click()
    page_b.get_by_text("Reply posted.").wait_for()

    toast = page_a.locator(".toast", has_text="bob replied in")
    toast.wait_for(timeout=15000)
    assert "Ember Roasters" in toast.inner_text()
    page_a.get_by_role("link", name="Notifications, 1 unread").wait_for()
    link = toast.get_by_role("link")
    assert "#post-" in link.get_attribute("href")
    screenshot(page_a, "reply-toast")

    # A second reply updates the same unread item: a new toast, the bell stays at 1.
    page_b.get_by_label("Your reply").fill("And a scale.")
    page_b.get_by_role("button", name="Post reply").click()
    page_a.locator(".toast", has_text="2 new replies in").wait_for(timeout=15000)
    page_a.get_by_role("link", name="Notifications, 1 unread").wait_for()

    link.click()
    page_a.wait_for_url(f"**{started.get_absolute_url()}#post-*")
    page_a.goto(f"{server}/notifications/")
    assert page_a.get_by_role("link", name="2 new replies in").is_visible()
    assert alice.notifications.unread().count() == 1


def test_mention_autocomplete_in_the_editor(server, new_page):
    alice, started = alices_topic("Favourite beans")

    page_b = new_page()
    login(page_b, server, "bob", demo.DEMO_PASSWORD)
    page_b.goto(f"{server}{started.get_absolute_url()}")
    editor = page_b.get_by_label("Your reply")
    editor.click()
    editor.press_sequentially("Thanks @al", delay=30)
    listbox = page_b.get_by_role("listbox", name="Members to mention")
    listbox.wait_for()
    assert editor.get_attribute("aria-expanded") == "true"
    option = listbox.get_by_role("option", name="@alice")
    assert option.get_attribute("aria-selected") == "true"
    assert editor.get_attribute("aria-activedescendant") == option.get_attribute("id")
    screenshot(page_b, "mention-autocomplete")

    editor.press("Enter")
    assert listbox.is_hidden()
    assert editor.input_value() == "Thanks @alice "
    editor.press_sequentially("you were right.", delay=10)
    page_b.get_by_role("button", name="Post reply").click()
    page_b.get_by_text("Reply posted.").wait_for()

    mention = page_b.locator(".post-body a.mention", has_text="@alice").last
    assert mention.get_attribute("href") == "/c/ember-roasters/members/alice/"
    assert alice.notifications.filter(verb="mention.received").count() == 1
