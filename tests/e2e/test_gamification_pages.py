"""A member sees their progress bars and the leaderboard, on desktop and on a phone."""

import os
from pathlib import Path

from community import demo
from gamification import demo as gamification_demo
from tests.e2e.conftest import SCREENSHOTS, login

# README's screenshots are refreshed on request only, so a test run leaves the checkout clean.
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TARGET = DOCS if os.environ.get("UPDATE_SCREENSHOTS") else SCREENSHOTS


def _save(page, name: str) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(TARGET / f"{name}.png"), full_page=True)


def test_progress_bars_and_leaderboard(server, new_page):
    gamification_demo.seed(demo.seed())
    for width, suffix in ((1280, ""), (390, "-phone")):
        page = new_page(width=width, height=900)
        login(page, server, "alice", demo.DEMO_PASSWORD)

        page.goto(f"{server}/c/ember-roasters/members/alice/")
        level_bar = page.locator("progress.meter-level")
        assert level_bar.is_visible()
        assert int(level_bar.get_attribute("value")) > 0
        assert page.locator(".badge-tile progress").count() > 0
        assert page.get_by_text("points to").first.is_visible()
        _save(page, f"progress{suffix}")

        page.goto(f"{server}/c/ember-roasters/leaderboard/?period=all")
        rows = page.locator(".board-row")
        assert rows.count() >= 4
        assert page.locator(".board-row.is-viewer").is_visible()
        assert page.get_by_role("heading", name="Your standing").is_visible()
        page.get_by_role("link", name="This week").click()
        page.wait_for_url(f"{server}/c/ember-roasters/leaderboard/?period=week")
        _save(page, f"leaderboard{suffix}")
