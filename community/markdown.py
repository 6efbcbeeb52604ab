"""Member-written Markdown to safe HTML: markdown-it renders (raw HTML off), nh3 sanitises.

``@username`` in running text (not in code, not inside a link) is a mention: ``mentions`` finds
them, and ``render_markdown(text, mentions={...})`` links the ones it is given to their URL.
"""

import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_CLASSES = {"a": {"mention"}}
# Headings from members never outrank the page's own headings.
_HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}
# "@alice" or "@ana.b" in running text; not an e-mail address ("me@example.com"), and a
# trailing dot ("thanks @alice.") is punctuation, not part of the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def render_markdown(text: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Safe HTML for ``text``; ``mentions`` maps lower-cased usernames to their profile paths."""
    tokens = _renderer.parse(text)
    if mentions:
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = _link_mentions(token.children, mentions)
    html = _renderer.renderer.render(tokens, _renderer.options, {})
    for old, new in _HEADING_SHIFT.items():
        html = html.replace(old, new)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc",
    )


def mentions(text: str) -> list[str]:
    """The usernames ``@mentioned`` in running text, lower-cased, first mention first."""
    found: dict[str, None] = {}
    for token in _renderer.parse(text):
        for child in _running_text(token.children or []):
            found.update(dict.fromkeys(name.lower() for name in MENTION.findall(child.content)))
    return list(found)


def count_links(text: str) -> int:
    """How many links a body carries (what new members' link allowance counts)."""
    count = 0
    for token in _renderer.parse(text):
        count += sum(1 for child in token.children or [] if child.type == "link_open")
    return count


def _running_text(children: list[Token]):
    """Text tokens outside links (code spans are their own token type, so never included)."""
    depth = 0
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and depth == 0:
            yield child


def _link_mentions(children: list[Token], urls: Mapping[str, str]) -> list[Token]:
    running = {id(child) for child in _running_text(children)}
    result: list[Token] = []
    for child in children:
        if id(child) not in running:
            result.append(child)
            continue
        rest = 0
        for match in MENTION.finditer(child.content):
            url = urls.get(match.group(1).lower())
            if url is None:
                continue
            result.append(_text(child.content[rest : match.start()]))
            link = Token("link_open", "a", 1)
            link.attrs = {"href": url, "class": "mention"}
            result += [link, _text(match.group(0)), Token("link_close", "a", -1)]
            rest = match.end()
        result.append(_text(child.content[rest:]))
    return [token for token in result if token.type != "text" or token.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
