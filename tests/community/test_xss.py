"""Script payloads in markdown, usernames and captions are shown as text, never run."""

import re

from django.urls import reverse

from community.services import photos, topics
from tests.community.helpers import image_bytes, join, topic, upload
from tests.factories import UserFactory

SCRIPT = "<script>alert('xss')</script>"
MARKDOWN = (
    f"{SCRIPT}\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n"
    '<a href="#" onclick="alert(1)">a</a> <iframe src="https://evil.example"></iframe>'
)
NAME = "<b onmouseover=alert(1)>x"
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son\w+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"(href|src)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def assert_inert(html: str):
    """No script, frame, event handler or javascript: URL came through as markup."""
    lowered = html.lower()
    assert "<script>alert" not in lowered and "<iframe" not in lowered
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert not SCRIPT_URL.search(html)


def test_markdown_and_usernames_are_escaped_on_the_topic_page(client, community, moderator):
    author = UserFactory(username=NAME, password="x-pass-123456")
    join(author, community)
    opening = topic(author, community, title=SCRIPT, body=MARKDOWN)
    topics.reply(user=author, topic=opening, body=MARKDOWN + "\n\nreply")
    page = client.get(opening.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert_inert(html)
    assert "&lt;b onmouseover=alert(1)&gt;x" in html  # the name is shown, as text

    listing = client.get(reverse("community:detail", kwargs={"slug": community.slug}))
    assert_inert(listing.content.decode())


def test_topic_json_keeps_payloads_as_text_and_renders_safe_html(client, community, member):
    opening = topic(member, community, title=SCRIPT, body=MARKDOWN)
    body = client.get(f"/api/v1/topics/{opening.pk}/").json()
    assert body["title"] == SCRIPT  # a string for textContent, never HTML
    for post in body["posts"]:
        assert_inert(post.get("body_html", ""))


def test_photo_captions_are_escaped_in_the_gallery(client, community, member):
    photos.upload_photo(
        user=member, community=community, upload=upload(image_bytes()), caption=SCRIPT
    )
    page = client.get(reverse("community:gallery", kwargs={"slug": community.slug}))
    assert page.status_code == 200
    assert_inert(page.content.decode())
    assert "&lt;script&gt;" in page.content.decode()
