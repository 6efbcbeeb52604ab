"""Notification text carrying a script payload is inert in the inbox and in the JSON the JS uses."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from gamification import recognitions as rec
from realtime import events

SCRIPT = "<script>alert('xss')</script>"


def test_notification_text_is_escaped_in_the_inbox_and_plain_in_json(member, community, client_for):
    collected = rec.Recognitions()
    collected.add(rec.BADGE_EARNED, user_id=member.pk, community_id=community.pk, badge=SCRIPT)
    events.publish_on_commit(collected)
    client = client_for(member)
    inbox = client.get(reverse("realtime:inbox")).content.decode()
    assert "<script>alert" not in inbox and "&lt;script&gt;" in inbox
    item = client.get("/api/v1/notifications/").json()["results"][0]
    assert SCRIPT in item["title"]  # text for textContent, never parsed as HTML


def test_the_scripts_that_render_events_never_insert_html():
    for script in Path(settings.BASE_DIR, "static", "js").glob("*.js"):
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"
