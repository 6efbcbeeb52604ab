"""Member-written Markdown to safe HTML: markdown-it renders (raw HTML off), nh3 sanitises."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Headings from members never outrank the page's own headings.
_HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def render_markdown(text: str) -> str:
    html = _renderer.render(text)
    for old, new in _HEADING_SHIFT.items():
        html = html.replace(old, new)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc",
    )


def count_links(text: str) -> int:
    """How many links a body carries (what new members' link allowance counts)."""
    count = 0
    for token in _renderer.parse(text):
        count += sum(1 for child in token.children or [] if child.type == "link_open")
    return count
