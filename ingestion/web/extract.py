"""One HTML page → article fields + comment thread + out-links. Pure: no network, no state.

trafilatura finds the main text (the comment section is cut out of the tree first, so it can never
leak into the article); title/author come from trafilatura's metadata; the publication time is read
from explicit markup (OpenGraph, schema.org, `<time>`) before falling back to htmldate, because
trafilatura keeps only the day. Comments come from `comments.extract_comments`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

import lxml.etree
from lxml import html as lxml_html

from ingestion.web.comments import extract_comments, remove_discussion
from ingestion.web.dates import parse_datetime, parse_text_date
from ingestion.web.forums import Thread, clean_author, extract_thread
from ingestion.web.urls import canonical_url

log = logging.getLogger(__name__)

MAX_TREE_NODES = 200_000
MAX_TEXT_CHARS = 1_000_000
MIN_ARTICLE_CHARS = 200
MAX_LINK_DENSITY = 0.5
ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Posting|Report|Review)$")


class ExtractionError(ValueError):
    """A page the extractor cannot make sense of (hostile or broken HTML)."""


@dataclass(frozen=True)
class Comment:
    id: str
    parent_id: str | None
    position: int
    author: str | None
    published: datetime | None
    text: str


@dataclass(frozen=True)
class Page:
    url: str
    title: str | None
    author: str | None
    published: datetime | None
    text: str
    lang: str | None
    is_article: bool
    canonical: str | None = None
    comments: list[Comment] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    follow: bool = True
    index: bool = True
    forum: str | None = None  # the forum engine when the page is a thread
    thread_url: str | None = None  # a thread's first page, where its posts belong
    first_post_id: str | None = None  # local id of the opening post (the page itself)
    next_page: str | None = None  # a thread's next page

    def as_json(self) -> dict:
        """The `ecoute extract` view: url, title, author, published, text, thread, comments."""
        data = asdict(self)
        return {
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": _iso(self.published),
            "text": self.text,
            "forum": self.forum,
            "thread_url": self.thread_url,
            "next_page": self.next_page,
            "comments": [
                {
                    "id": c["id"],
                    "parent_id": c["parent_id"],
                    "author": c["author"],
                    "published": _iso(c["published"]),
                    "text": c["text"],
                }
                for c in data["comments"]
            ],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(html: str) -> lxml_html.HtmlElement:
    if "\x00" in html:
        raise ExtractionError("NUL character in HTML")
    try:
        root = lxml_html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractionError(f"unparseable HTML: {error}") from None
    count = sum(1 for _ in root.iter())
    if count > MAX_TREE_NODES:
        raise ExtractionError(f"HTML tree too large ({count} nodes)")
    return root


def _meta(root: lxml_html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for element in root.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]", n=name):
            content = (element.get("content") or "").strip()
            if content:
                return content
    return None


def _json_ld(root: lxml_html.HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph" and isinstance(v, list))
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type", [])
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def _published(root: lxml_html.HtmlElement, url: str) -> datetime | None:
    for obj in _json_ld(root):
        if any(ARTICLE_TYPES.search(t) for t in _types(obj)):
            found = parse_datetime(obj.get("datePublished") or obj.get("dateCreated"))
            if found:
                return found
    candidates = [_meta(root, "article:published_time", "datePublished", "date", "dc.date")]
    candidates += [
        e.get("datetime") or e.get("content") for e in root.xpath("//*[@itemprop='datePublished']")
    ]
    candidates += [e.get("datetime") for e in root.xpath("//time[@datetime]")[:1]]
    for candidate in candidates:
        found = parse_datetime(candidate)
        if found:
            return found
    try:
        from htmldate import find_date

        day = find_date(root, url=url or None, original_date=True, extensive_search=False)
    except Exception:  # htmldate is best effort on odd pages
        log.debug("htmldate failed on %s", url, exc_info=True)
        day = None
    return parse_datetime(day)


def _author(root: lxml_html.HtmlElement, fallback: str | None) -> str | None:
    for obj in _json_ld(root):
        if any(ARTICLE_TYPES.search(t) for t in _types(obj)):
            author = obj.get("author")
            author = author[0] if isinstance(author, list) and author else author
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip():
                return name.strip()
    found = _meta(root, "author", "article:author")
    if found and not found.startswith("http"):
        return found
    for element in root.xpath("//*[@rel='author' or @itemprop='author']"):
        text = " ".join(element.text_content().split())
        if text:
            return text[:200]
    return fallback


def _robots_meta(root: lxml_html.HtmlElement) -> tuple[bool, bool]:
    content = " ".join(
        (e.get("content") or "").lower() for e in root.xpath("//meta[@name='robots']")
    )
    return "nofollow" not in content and "none" not in content, (
        "noindex" not in content and "none" not in content
    )


def _links(root: lxml_html.HtmlElement, base: str) -> list[str]:
    found: dict[str, None] = {}
    for anchor in root.xpath("//a[@href]"):
        if "nofollow" in (anchor.get("rel") or "").lower():
            continue
        url = canonical_url(anchor.get("href", ""), base)
        if url:
            found[url] = None
    return list(found)


def _link_density(root: lxml_html.HtmlElement) -> float:
    """Share of the body's text that sits inside links: high on home, tag and listing pages."""
    body = root.find("body")
    if body is None:
        return 0.0
    total = len(" ".join(body.text_content().split()))
    linked = sum(len(" ".join(a.text_content().split())) for a in body.iter("a"))
    return linked / total if total else 1.0


def _is_article(root: lxml_html.HtmlElement, text: str, published: datetime | None) -> bool:
    """Article pages are stored; hubs (home, tag and listing pages) are only followed."""
    og_type = (_meta(root, "og:type") or "").lower()
    if og_type:  # the site says what the page is (listings say "website")
        return og_type == "article"
    if any(ARTICLE_TYPES.search(t) for obj in _json_ld(root) for t in _types(obj)):
        return True
    if len(text) < MIN_ARTICLE_CHARS or _link_density(root) > MAX_LINK_DENSITY:
        return False
    articles = root.xpath("//article")
    if len(articles) == 1:
        return True
    return published is not None and len(articles) == 0


def _drop_headline(text: str, title: str | None) -> str:
    """trafilatura keeps the <h1>; the title is its own column, so the text starts after it."""
    first, _, rest = text.partition("\n")
    if title and rest and first.strip().casefold() == title.strip().casefold():
        return rest.strip()
    return text


def _lang(root: lxml_html.HtmlElement) -> str | None:
    lang = (root.get("lang") or root.get("xml:lang") or "").split("-")[0].lower()
    return lang if re.fullmatch(r"[a-z]{2,3}", lang) else None


def _title(root: lxml_html.HtmlElement) -> str | None:
    found = _meta(root, "og:title")
    if not found:
        titles = root.xpath("//title")
        found = " ".join(titles[0].text_content().split()) if titles else None
    return found or None


def _thread(
    root: lxml_html.HtmlElement, url: str, fetched_at: datetime | None = None
) -> Thread | None:
    """The page's forum thread; odd markup falls back to the article extractor."""
    try:
        return extract_thread(root, url, fetched_at)
    except (lxml.etree.LxmlError, ValueError, TypeError, RecursionError) as error:
        log.warning("forum markup of %s unreadable (%s): read as an article", url, error)
        return None


def _thread_page(
    root: lxml_html.HtmlElement,
    url: str,
    here: str,
    thread: Thread,
    canonical: str | None,
    links: list[str],
    follow: bool,
    index: bool,
) -> Page:
    """A thread page: its opening post is the page, replies are its comments.

    A later page of the thread has no opening post: all its posts are comments of the thread's
    first page, and a reply quoting the opening post is left for the crawler to attach (it knows
    that post's id from the first page).
    """
    starts = thread.thread_url == here
    opening = thread.posts[0] if starts else None
    replies = thread.posts[1:] if starts else thread.posts
    comments = []
    for position, post in enumerate(replies, start=1 if starts else 0):
        parent = post.quoted_id or post.nested_in
        if parent in (post.local_id, getattr(opening, "local_id", None)):
            parent = None
        comments.append(
            Comment(post.local_id, parent, position, post.author, post.published, post.text)
        )
    return Page(
        url=url,
        title=thread.title or _title(root),
        author=opening.author if opening else None,
        published=opening.published if opening else None,
        text=opening.text[:MAX_TEXT_CHARS] if opening else "",
        lang=_lang(root),
        is_article=starts,
        canonical=canonical,
        comments=comments,
        links=[link for link in links if thread.worth_following(link)],
        follow=follow,
        index=index,
        forum=thread.engine,
        thread_url=thread.thread_url,
        first_post_id=opening.local_id if opening else None,
        next_page=thread.next_url,
    )


def extract_page(
    html: str,
    url: str = "",
    thread_url: str | None = None,
    fetched_at: datetime | None = None,
) -> Page:
    """Everything the crawler keeps from one page. Raises ExtractionError on hopeless input.

    `thread_url` names the first page of the forum thread this page continues, when the caller
    knows it (it followed the thread's next-page link); otherwise it is read from the URL.
    `fetched_at` dates forum posts stamped relative to it ("Today at 10:42", "Hier 21:15").
    """
    import trafilatura

    root = _parse(html)
    base = url
    base_href = root.xpath("//base/@href")
    if base_href:
        base = canonical_url(base_href[0], url) or url
    follow, index = _robots_meta(root)
    links = _links(root, base) if follow else []
    canonical = None
    for href in root.xpath("//link[@rel='canonical']/@href"):
        canonical = canonical_url(href, base)
        break
    thread = _thread(root, canonical or canonical_url(url) or url, fetched_at)
    if thread is not None:
        here = canonical or canonical_url(url) or url
        if thread_url:  # reached by a next link: a canonical naming the first page is wrong
            thread, here = replace(thread, thread_url=thread_url), canonical_url(url) or url
        return _thread_page(root, url, here, thread, canonical, links, follow, index)
    raw_comments = extract_comments(root)
    remove_discussion(root)  # from here on, nothing a commenter wrote can reach the article
    published = _published(root, url)
    lang = (root.get("lang") or root.get("xml:lang") or "").split("-")[0].lower() or None
    try:
        # Handing trafilatura markup rather than our tree lets its own loader clean it first
        # (worth ~1 point of F1 on the benchmark).
        document = trafilatura.bare_extraction(
            lxml_html.tostring(root, encoding="unicode"),
            url=url or None,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            favor_precision=False,
        )
    except (lxml.etree.LxmlError, ValueError, RecursionError) as error:
        raise ExtractionError(f"main-text extraction failed: {error}") from None
    text = (getattr(document, "text", None) or "").strip()[:MAX_TEXT_CHARS]
    title = getattr(document, "title", None) or _meta(root, "og:title")
    if not title:
        titles = root.xpath("//title")
        title = " ".join(titles[0].text_content().split()) if titles else None
    text = _drop_headline(text, title)
    author = clean_author(_author(root, getattr(document, "author", None)))
    comments = [
        Comment(
            id=c.local_id,
            parent_id=c.parent_local_id,
            position=c.position,
            author=clean_author(c.author),
            published=parse_datetime(c.published) or parse_text_date(c.published, lang),
            text=c.text,
        )
        for c in raw_comments
    ]
    return Page(
        url=url,
        title=title or None,
        author=author or None,
        published=published,
        text=text,
        lang=lang if lang and re.fullmatch(r"[a-z]{2,3}", lang) else None,
        is_article=_is_article(root, text, published),
        canonical=canonical,
        comments=comments,
        links=links,
        follow=follow,
        index=index,
    )
