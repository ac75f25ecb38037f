"""The Hacker News Algolia search API (hn.algolia.com/api/v1) answered from the demo world.

Same JSON shape, parameters and quirks a client meets on the real service: `query` matches whole
words (case and accent insensitive) in the title and text, `tags` combine with commas (AND) and
parentheses (OR), `numericFilters` on `created_at_i` / `points` / `num_comments`, pages counted
from 0, at most 1000 hits reachable per query, HTML text with `&#x27;` entities.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import urlencode

from demo.model import HNItem
from demo.site import iso

MAX_HITS_PER_PAGE = 1000
PAGINATION_LIMIT = 1000
DEFAULT_HITS_PER_PAGE = 20
_NUMERIC = re.compile(r"^(created_at_i|points|num_comments)(<=|>=|<|>|=)(-?\d+)$")
_URL = re.compile(r"https?://[^\s<>\"]+")


class BadRequest(ValueError):
    """A parameter the API refuses (answered with HTTP 400 and a JSON message)."""


def words(text: str) -> list[str]:
    """Lower-case, accent-free alphanumeric words (what the index matches on)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", plain)


def hn_html(text: str) -> str:
    """Plain text written the way HN serves it: escaped, `<p>` between paragraphs, links as <a>."""
    paragraphs = [escape(p.strip(), quote=True) for p in text.split("\n\n") if p.strip()]
    html = "<p>".join(paragraphs)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow">{m.group(0)}</a>', html)


def item_tags(item: HNItem) -> list[str]:
    tags = [item.item_type, f"author_{item.author}", f"story_{item.story_id}"]
    if item.item_type == "story" and (item.title or "").startswith("Ask HN:"):
        tags.append("ask_hn")
    return tags


class HNIndex:
    """The searchable items of one (possibly truncated) world."""

    def __init__(self, items: Iterable[HNItem]) -> None:
        self.items = list(items)
        self.by_id = {i.object_id: i for i in self.items}
        self.words = {
            i.object_id: set(words(" ".join(filter(None, [i.title, i.text])))) for i in self.items
        }
        self.children: dict[str, list[HNItem]] = {}
        for item in self.items:
            if item.parent_id:
                self.children.setdefault(item.parent_id, []).append(item)

    def search(self, params: dict[str, str], by_date: bool) -> dict[str, Any]:
        """The answer to `/search` (ranked by points) or `/search_by_date` (newest first)."""
        query = params.get("query", "")
        wanted = words(query)
        tag_groups = _parse_tags(params.get("tags", ""))
        numeric = _parse_numeric(params.get("numericFilters", ""))
        page = _int_param(params, "page", 0, minimum=0)
        per_page = min(
            _int_param(params, "hitsPerPage", DEFAULT_HITS_PER_PAGE, minimum=0), MAX_HITS_PER_PAGE
        )
        found = [
            i
            for i in self.items
            if all(w in self.words[i.object_id] for w in wanted)
            and all(any(t in item_tags(i) for t in group) for group in tag_groups)
            and all(_compare(_numeric_value(i, f), op, v) for f, op, v in numeric)
        ]
        if by_date:
            found.sort(key=lambda i: (i.created_at, int(i.object_id)), reverse=True)
        else:
            found.sort(key=lambda i: (-(i.points or 0), -int(i.object_id)))
        reachable = found[:PAGINATION_LIMIT]
        pages = math.ceil(len(reachable) / per_page) if per_page else 0
        hits = reachable[page * per_page : (page + 1) * per_page] if per_page else []
        return {
            "hits": [self.hit(i) for i in hits],
            "nbHits": len(found),
            "page": page,
            "nbPages": pages,
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "query": query,
            "params": urlencode(params),
            "processingTimeMS": 1,
        }

    def hit(self, item: HNItem) -> dict[str, Any]:
        story = self.by_id.get(item.story_id)
        is_story = item.item_type == "story"
        return {
            "objectID": item.object_id,
            "created_at": iso(item.created_at).replace("Z", ".000Z"),
            "created_at_i": int(item.created_at.timestamp()),
            "author": item.author,
            "title": item.title if is_story else None,
            "url": item.url if is_story else None,
            "story_text": hn_html(item.text) if is_story and item.text else None,
            "comment_text": None if is_story else hn_html(item.text or ""),
            "story_id": int(item.story_id),
            "story_title": None if is_story or story is None else story.title,
            "story_url": None if is_story or story is None else story.url,
            "parent_id": int(item.parent_id) if item.parent_id else None,
            "points": item.points,
            "num_comments": item.num_comments,
            "_tags": item_tags(item),
        }

    def item_tree(self, object_id: str) -> dict[str, Any] | None:
        """`/items/<id>`: the item with its visible descendants nested in `children`."""
        item = self.by_id.get(object_id)
        if item is None:
            return None
        return {
            "id": int(item.object_id),
            "created_at": iso(item.created_at).replace("Z", ".000Z"),
            "created_at_i": int(item.created_at.timestamp()),
            "type": item.item_type,
            "author": item.author,
            "title": item.title,
            "url": item.url,
            "text": hn_html(item.text) if item.text else None,
            "points": item.points,
            "parent_id": int(item.parent_id) if item.parent_id else None,
            "story_id": int(item.story_id),
            "children": [self.item_tree(c.object_id) for c in self.children.get(object_id, [])],
            "options": [],
        }


def _int_param(params: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"Invalid value for parameter {name}: {raw!r}") from None
    if value < minimum:
        raise BadRequest(f"Invalid value for parameter {name}: {raw!r}")
    return value


def _parse_tags(raw: str) -> list[list[str]]:
    """`story,author_pg` → [["story"], ["author_pg"]]; `(story,comment)` → [["story","comment"]]."""
    groups: list[list[str]] = []
    for part in re.findall(r"\([^)]*\)|[^,]+", raw):
        part = part.strip()
        if part.startswith("("):
            options = [t.strip() for t in part[1:-1].split(",") if t.strip()]
        else:
            options = [part] if part else []
        if options:
            groups.append(options)
    return groups


def _parse_numeric(raw: str) -> list[tuple[str, str, int]]:
    filters = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        match = _NUMERIC.match(part.replace(" ", ""))
        if not match:
            raise BadRequest(f"Invalid syntax for numeric condition: {part}")
        filters.append((match.group(1), match.group(2), int(match.group(3))))
    return filters


def _numeric_value(item: HNItem, name: str) -> int | None:
    if name == "created_at_i":
        return int(item.created_at.timestamp())
    return getattr(item, name)


def _compare(value: int | None, op: str, bound: int) -> bool:
    if value is None:
        return False
    return {
        "<": value < bound,
        "<=": value <= bound,
        ">": value > bound,
        ">=": value >= bound,
        "=": value == bound,
    }[op]
