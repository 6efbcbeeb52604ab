"""Search over topics (with their replies), reviews, photo captions and products.

One query runs per kind through Wagtail's search backend (``wagtail.search.backends``:
PostgreSQL full-text search on PostgreSQL, FTS5 on SQLite), restricted to the communities the
reader may read (``tenancy.access``) and to visible content; the hits are merged by score
(the same backend ranks every kind the same way) and get a short snippet with the matched words
in ``<mark>``. Everything else in a snippet is escaped.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.backends import get_search_backend

from community.models import Photo, Post, Product, Review, Topic
from core.errors import Invalid
from tenancy.access import readable_communities

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
PER_KIND = 50  # hits kept per kind before merging: search pages, not an export
SNIPPET_CHARS = 180
# Weight of a match in the title. PostgreSQL already weighs the title field (``boost``), but
# SQLite's FTS5 ranks the whole entry with bm25 and only scales it by the title's length, so a
# short unrelated title can outrank a title that holds the words; this evens the backends out.
TITLE_BONUS = 2.0

QUERY_EMPTY = "Type a word to search for."
QUERY_TOO_LONG = f"Search for at most {MAX_QUERY_LENGTH} characters."

WORD = re.compile(r"\w+")
SUFFIXES = ("ing", "es", "ed", "s")


@dataclass(frozen=True)
class Hit:
    type: str  # "topic", "review", "photo" or "product"
    topic_id: int | None
    title: str
    snippet: SafeString
    url: str
    community: str
    score: float


def query_terms(query: str) -> list[str]:
    """The words of ``query``, or ``Invalid`` with a message for the reader.

    Only word characters reach the backend, so no input can be read as query syntax.
    """
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise Invalid(QUERY_TOO_LONG, field="q")
    terms = list(dict.fromkeys(word.lower() for word in WORD.findall(query)))[:MAX_TERMS]
    if not terms:
        raise Invalid(QUERY_EMPTY, field="q")
    return terms


def search(user, query: str, *, community=None) -> list[Hit]:
    """Hits for ``query`` in ``community`` (or every community ``user`` may read), best first."""
    terms = query_terms(query)
    readable = readable_communities(user)
    if community is not None:
        readable = readable.filter(pk=community.pk)
    community_ids = list(readable.values_list("pk", flat=True))
    if not community_ids:
        return []
    text = " ".join(terms)
    hits = [
        *_topics(text, terms, community_ids),
        *_reviews(text, terms, community_ids),
        *_photos(text, terms, community_ids),
        *_products(text, terms, community_ids),
    ]
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits


def _ranked(queryset, text: str) -> list:
    """The best ``PER_KIND`` matches of ``queryset``, each with ``_score`` (higher is better)."""
    results = get_search_backend().search(text, queryset, operator="and").annotate_score("_score")
    found = list(results[:PER_KIND])
    sign = -1 if connection.vendor == "sqlite" else 1  # FTS5's bm25: lower is better
    for obj in found:
        obj._score = sign * float(obj._score or 0)
    return found


def _topics(text, terms, community_ids) -> list[Hit]:
    visible_posts = Prefetch(
        "posts", queryset=Post.objects.filter(is_hidden=False), to_attr="visible_posts"
    )
    topics = _ranked(
        Topic.objects.filter(community__in=community_ids, is_hidden=False)
        .select_related("community")
        .prefetch_related(visible_posts),
        text,
    )
    hits = []
    for topic in topics:
        post = next((p for p in topic.visible_posts if _matches(p.body, terms)), None)
        url = topic.get_absolute_url()
        if post is not None and not post.is_opening:
            url = f"{url}#post-{post.pk}"
        elif post is None and topic.visible_posts:
            post = topic.visible_posts[0]
        body = post.body if post is not None else ""
        hits.append(_hit("topic", topic.pk, topic.title, body, url, topic, terms))
    return hits


def _reviews(text, terms, community_ids) -> list[Hit]:
    reviews = _ranked(
        Review.objects.filter(community__in=community_ids, is_hidden=False).select_related(
            "community", "product"
        ),
        text,
    )
    return [
        _hit("review", None, r.title, r.body, r.get_absolute_url(), r, terms)
        for r in reviews
        if r.product.is_active
    ]


def _photos(text, terms, community_ids) -> list[Hit]:
    photos = _ranked(
        Photo.objects.filter(community__in=community_ids, is_hidden=False).select_related(
            "community"
        ),
        text,
    )
    return [
        _hit("photo", None, p.caption or "Photo", p.caption, p.get_absolute_url(), p, terms)
        for p in photos
    ]


def _products(text, terms, community_ids) -> list[Hit]:
    products = _ranked(
        Product.objects.filter(community__in=community_ids, is_active=True).select_related(
            "community"
        ),
        text,
    )
    return [
        _hit(
            "product",
            None,
            p.name,
            " ".join(filter(None, [p.summary, p.description])),
            p.get_absolute_url(),
            p,
            terms,
        )
        for p in products
    ]


def _hit(kind, topic_id, title, body, url, obj, terms) -> Hit:
    return Hit(
        type=kind,
        topic_id=topic_id,
        title=title,
        snippet=highlight(body, terms),
        url=url,
        community=obj.community.name,
        score=obj._score * (TITLE_BONUS if _matches(title, terms) else 1.0),
    )


def _pattern(terms: list[str]) -> re.Pattern:
    """Words starting with a term's stem: "running" is marked for "runs" as the index would."""
    stems = []
    for term in terms:
        stem = term
        for suffix in SUFFIXES:
            if term.endswith(suffix) and len(term) - len(suffix) >= 3:
                stem = term[: -len(suffix)]
                break
        stems.append(re.escape(stem))
    return re.compile(rf"\b(?:{'|'.join(stems)})\w*", re.IGNORECASE)


def _matches(text: str, terms: list[str]) -> bool:
    return bool(_pattern(terms).search(text or ""))


def highlight(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> SafeString:
    """A passage of ``text`` around the first match, escaped, with matched words in <mark>."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    first = pattern.search(text)
    start = max(0, first.start() - width // 3) if first else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else start + 1) else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    passage = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every part escaped above
