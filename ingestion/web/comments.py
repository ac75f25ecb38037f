"""The comment section of a page as a thread: comment → reply → reply.

No library extracts comments, so this covers the two markups most sites use:

- schema.org `Comment` microdata (itemprop author / dateCreated / text); the parent is the nearest
  ancestor Comment element;
- WordPress/Disqus-like markup: `li.comment` / `article.comment` / `div.comment` or
  `id="comment-N"`, replies nested inside (`ol.children`, `.replies`) or named by
  `data-parent-id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

COMMENT_ID = re.compile(r"^comment[-_]?\d+$", re.IGNORECASE)
COMMENT_CLASSES = {"comment", "comment-item", "js-comment", "commentlist-item"}
COMMENT_TAGS = {"li", "article", "div", "section"}
AUTHOR_CLASSES = ("comment-author", "author", "fn", "username", "user", "comment-meta-author")
TEXT_CLASSES = (
    "comment-content",
    "comment-text",
    "comment-body",
    "comment_text",
    "text",
    "content",
)
DATE_PROPS = ("dateCreated", "datePublished", "commentTime")
DATE_CLASSES = {
    "date", "datetime", "comment-date", "comment-time", "commentdate", "timestamp",
    "comment-metadata", "commentmetadata", "published",
}  # fmt: skip
PARENT_ATTRS = ("data-parent-id", "data-parent", "data-reply-to")
# Whole containers that hold the discussion, never the article.
CONTAINER_IDS = {"comments", "comments-area", "disqus_thread", "respond", "comment-section"}
CONTAINER_CLASSES = {"comments", "comments-area", "comment-list", "commentlist", "comment-respond"}


@dataclass(frozen=True)
class RawComment:
    """A comment as found in the page; ids are local to the page (`comment-12`)."""

    local_id: str
    parent_local_id: str | None
    position: int
    author: str | None
    published: str | None
    text: str


def _classes(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _is_microdata_comment(element: lxml_html.HtmlElement) -> bool:
    itemtype = (element.get("itemtype") or "").lower()
    return "schema.org/comment" in itemtype


def _is_markup_comment(element: lxml_html.HtmlElement) -> bool:
    if element.tag not in COMMENT_TAGS:
        return False
    return bool(_classes(element) & COMMENT_CLASSES) or bool(
        COMMENT_ID.match(element.get("id") or "")
    )


def find_comment_elements(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Comment elements in document order; microdata wins when the page has any."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    found = [e for e in elements if _is_microdata_comment(e)]
    return found or [e for e in elements if _is_markup_comment(e)]


def _own(element: lxml_html.HtmlElement, others: set) -> Iterator[lxml_html.HtmlElement]:
    """Descendants of `element` that do not belong to a nested comment."""
    for child in element:
        if not isinstance(child.tag, str) or child in others:
            continue
        yield child
        yield from _own(child, others)


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _first(element, others, test) -> lxml_html.HtmlElement | None:
    return next((e for e in _own(element, others) if test(e)), None)


def _author(element, others) -> str | None:
    found = _first(element, others, lambda e: e.get("itemprop") == "author")
    if found is not None:
        name = _first(found, others, lambda e: e.get("itemprop") == "name")
        return _text(name if name is not None else found) or None
    for cls in AUTHOR_CLASSES:
        found = _first(element, others, lambda e, c=cls: c in _classes(e))
        if found is not None:
            inner = _first(found, others, lambda e: "fn" in _classes(e) or e.tag in ("b", "a"))
            value = _text(inner if inner is not None else found)
            value = re.sub(r"\s+(says|a dit|écrit)\s*:?$", "", value, flags=re.IGNORECASE)
            if value:
                return value[:200]
    return None


def _is_date_holder(element: lxml_html.HtmlElement) -> bool:
    """An element that prints the comment's date for people (class, or a permalink with digits)."""
    if _classes(element) & DATE_CLASSES:
        return True
    href = element.get("href") or ""
    return element.tag == "a" and "#comment" in href and any(c.isdigit() for c in _text(element))


def _published(element, others) -> str | None:
    """The comment's date as written: a machine-readable attribute first, else the words."""
    tests = (
        lambda e: e.get("itemprop") in DATE_PROPS,
        lambda e: e.tag == "time",
        lambda e: bool(e.get("datetime")),
        _is_date_holder,
    )
    for test in tests:
        found = _first(element, others, test)
        if found is not None:
            return found.get("datetime") or found.get("content") or _text(found) or None
    return None


def _body(element, others) -> str:
    found = _first(element, others, lambda e: e.get("itemprop") == "text")
    if found is None:
        for cls in TEXT_CLASSES:
            found = _first(element, others, lambda e, c=cls: c in _classes(e))
            if found is not None:
                break
    if found is None:
        paragraphs = [e for e in _own(element, others) if e.tag == "p"]
        return "\n".join(t for t in (_text(p) for p in paragraphs) if t)
    blocks = [_text(p) for p in _own(found, others) if p.tag == "p"]
    return "\n".join(b for b in blocks if b) or _own_text(found, others)


def _own_text(element, others) -> str:
    parts = [element.text or ""]
    for child in element:
        if child in others:
            parts.append(child.tail or "")
            continue
        if isinstance(child.tag, str):
            parts.append(_own_text(child, others))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def extract_comments(root: lxml_html.HtmlElement) -> list[RawComment]:
    """The page's comments, each with its parent's local id (None for a top-level comment)."""
    elements = find_comment_elements(root)
    members = set(elements)
    local_ids: dict[lxml_html.HtmlElement, str] = {}
    taken: set[str] = set()
    by_ref: dict[str, lxml_html.HtmlElement] = {}
    for position, element in enumerate(elements):
        local = element.get("id") or element.get("data-comment-id") or element.get("data-id")
        local_ids[element] = local if local and local not in taken else f"c{position}"
        taken.add(local_ids[element])
        for attr in ("id", "data-comment-id", "data-id"):
            if element.get(attr):
                by_ref.setdefault(element.get(attr), element)
    comments = []
    for position, element in enumerate(elements):
        parent = None
        for attr in PARENT_ATTRS:
            ref = element.get(attr)
            if not ref:
                continue
            target = by_ref.get(ref)
            if target is None:
                target = by_ref.get(f"comment-{ref}")
            if target is not None and target is not element:
                parent = local_ids[target]
                break
        if parent is None:
            ancestor = element.getparent()
            while ancestor is not None and ancestor not in members:
                ancestor = ancestor.getparent()
            parent = local_ids[ancestor] if ancestor is not None else None
        others = members - {element}
        text = _body(element, others)
        if not text:
            continue
        comments.append(
            RawComment(
                local_id=local_ids[element],
                parent_local_id=parent,
                position=position,
                author=_author(element, others),
                published=_published(element, others),
                text=text,
            )
        )
    return comments


def remove_discussion(root: lxml_html.HtmlElement) -> None:
    """Drop the comment section (and comment forms) so the article text never includes it."""
    doomed = [
        e
        for e in root.iter()
        if isinstance(e.tag, str)
        and (
            (e.get("id") or "").lower() in CONTAINER_IDS
            or _classes(e) & CONTAINER_CLASSES
            or _is_microdata_comment(e)
            or _is_markup_comment(e)
        )
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is not None and element.getroottree() is root.getroottree():
            parent.remove(element)
