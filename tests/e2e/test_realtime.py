"""A logged-in member's open page receives recognition published by another process.

Playwright's sync API runs an event loop on the test thread, so events are published from a
worker thread, as a service in a web worker would.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connections, transaction

from gamification import recognitions as rec
from realtime import events, groups, sequence
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, start_daphne, stop

SCRIPT_BADGE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'


def publish_badge(user, community, badge: str) -> None:
    collected = rec.Recognitions()
    collected.add(
        rec.BADGE_EARNED, user_id=user.pk, community_id=community.pk, badge=badge, url="/c/"
    )
    with transaction.atomic():
        events.publish_on_commit(collected)


def off_thread(function, *args) -> None:
    def run():
        try:
            function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def test_toast_bell_banner_and_board_update_live_then_inbox_keeps_it(
    redis_server, new_page, member, community
):
    page = new_page(width=390, height=844)
    login(page, redis_server, "alice", PASSWORD)
    page.goto(f"{redis_server}{community.get_absolute_url()}")
    page.wait_for_selector("body[data-live-notifications='on'][data-live-community='on']")

    off_thread(publish_badge, member, community, SCRIPT_BADGE)
    toast = page.locator(".toast").first
    toast.wait_for()
    assert toast.inner_text().startswith(f"You earned the {SCRIPT_BADGE} badge")
    assert page.evaluate("window.pwned") is None
    assert page.locator(".toasts img, .toasts script").count() == 0
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    bell.wait_for()
    assert page.locator("[data-bell-count]").inner_text() == "1"

    news = {"type": "challenge.published", "title": "<b>Brew week</b>", "url": "/notifications/"}
    off_thread(events.publish_community_event, community.pk, news)
    banner = page.locator(".live-banner")
    banner.wait_for()
    assert "New challenge: <b>Brew week</b>" in banner.inner_text()
    page.wait_for_timeout(400)  # let the entrance animation finish for the screenshot
    assert screenshot(page, "realtime-live-phone").stat().st_size > 0

    # A leaderboard on the page refreshes in place; a feed list receives public recognition.
    page.evaluate(
        """() => { const b = document.createElement('div');
        b.setAttribute('data-live-leaderboard', ''); b.setAttribute('data-url', '/');
        const f = document.createElement('ul'); f.setAttribute('data-live-feed', '');
        document.querySelector('main').append(b, f); }"""
    )
    off_thread(events.leaderboard_changed, community.pk)
    injected = "[data-live-leaderboard][data-url='/']"
    page.wait_for_selector(f"{injected}[data-updated]", state="attached")
    assert "Communities" in page.locator(injected).inner_text()

    # Toasts can be dismissed, and never pile up past four.
    for number in range(6):
        off_thread(publish_badge, member, community, f"Badge {number}")
    page.get_by_role("link", name="Notifications, 7 unread").wait_for()
    assert page.locator(".toast").count() <= 4
    page.locator("[data-live-feed] li", has_text="alice earned the Badge 5 badge").wait_for()
    page.get_by_role("button", name="Dismiss notification").first.click()
    assert page.locator(".toast").count() <= 3
    page.get_by_role("button", name="Dismiss notification").first.focus()
    page.keyboard.press("Escape")
    assert page.locator(".toast").count() <= 2

    page.reload()
    page.get_by_role("link", name="Notifications, 7 unread").click()
    page.wait_for_url(f"{redis_server}/notifications/")
    assert page.get_by_text(f"You earned the {SCRIPT_BADGE} badge").is_visible()
    assert page.evaluate("window.pwned") is None
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_role("link", name="Notifications, 0 unread").wait_for()
    assert screenshot(page, "realtime-inbox-phone").stat().st_size > 0


def test_after_a_dropped_connection_the_page_fetches_what_it_missed(
    redis_env, new_page, member, community
):
    proc, url = start_daphne(redis_env)
    try:
        page = new_page()
        login(page, url, "alice", PASSWORD)
        page.wait_for_selector("body[data-live-notifications='on']")

        stop(proc)  # the worker goes away: the socket drops
        page.wait_for_selector("body[data-live-notifications='off']")
        off_thread(publish_badge, member, community, "Night Owl")  # stored, pushed to no one

        port = int(url.rsplit(":", 1)[1])
        proc, _ = start_daphne(redis_env, port=port)  # the client reconnects by itself
        page.locator(".toast", has_text="You earned the Night Owl badge").wait_for(timeout=20000)
        page.get_by_role("link", name="Notifications, 1 unread").wait_for()
    finally:
        stop(proc)


def publish_badges(user, community, count: int) -> None:
    collected = rec.Recognitions()
    for n in range(count):
        collected.add(rec.BADGE_EARNED, user_id=user.pk, community_id=community.pk, badge=f"B{n}")
    with transaction.atomic():
        events.publish_on_commit(collected)


def test_after_a_restart_the_page_pages_through_everything_it_missed(
    redis_env, new_page, member, community
):
    proc, url = start_daphne(redis_env)
    try:
        page = new_page()
        login(page, url, "alice", PASSWORD)
        page.wait_for_selector("body[data-live-notifications='on']")

        stop(proc)  # SIGTERM: the worker closes the socket with 1012
        page.wait_for_selector("body[data-live-notifications='off']")
        off_thread(publish_badges, member, community, 130)  # more than one catch-up page

        port = int(url.rsplit(":", 1)[1])
        proc, _ = start_daphne(redis_env, port=port)
        page.get_by_role("link", name="Notifications, 130 unread").wait_for(timeout=20000)
        page.locator(".toast", has_text="130 new notifications").wait_for()
        assert page.locator(".toast", has_text="You earned the B129 badge").count() == 1
    finally:
        stop(proc)


def test_a_gap_in_the_community_stream_refetches_the_board(
    redis_server, new_page, member, community
):
    page = new_page()
    login(page, redis_server, "alice", PASSWORD)
    page.goto(f"{redis_server}{community.get_absolute_url()}")
    page.wait_for_selector("body[data-live-community='on']")
    news = {"type": "announcement.published", "title": "Open day", "url": "/notifications/"}

    off_thread(events.publish_community_event, community.pk, news)  # seq 1: the baseline
    page.locator(".live-banner").first.wait_for()
    assert page.get_attribute("body", "data-refetched") is None
    # One broadcast lost on the way (a full channel, say): its number is never seen.
    sequence.next_seq(groups.community_group(community.pk))
    off_thread(events.publish_community_event, community.pk, {**news, "title": "Tasting"})
    page.wait_for_selector("body[data-refetched='1']")
    page.wait_for_selector("[data-live-leaderboard][data-updated]")
