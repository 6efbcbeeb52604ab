from notifications.signals import notify

from community import demo
from tests.e2e.conftest import login, screenshot


def test_member_logs_in_opens_a_community_and_the_bell(server, new_page):
    demo.seed()
    from accounts.models import User

    alice = User.objects.get(username="alice")
    alice.notifications.mark_all_as_read()  # the demo content's own awards
    notify.send(User.objects.get(username="mod"), recipient=alice, verb="gave you kudos")

    page = new_page()
    login(page, server, "alice", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="Ember Roasters").first.click()
    page.wait_for_url(f"{server}/c/ember-roasters/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ember Roasters"

    bell = page.get_by_role("link", name="Notifications, 1 unread")
    assert bell.is_visible()
    bell.click()
    page.wait_for_url(f"{server}/notifications/")
    assert page.get_by_text("gave you kudos").is_visible()
    assert screenshot(page, "smoke-inbox").stat().st_size > 0
