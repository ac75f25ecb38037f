"""Seeds from sitemaps and RSS/Atom/RDF feeds: the URLs to crawl and, when given, their lastmod.

XML from the web is parsed with defusedxml, which refuses entity declarations (billion laughs,
external entities) instead of expanding them.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

log = logging.getLogger(__name__)

MAX_SITEMAP_URLS = 50_000


class SeedParseError(ValueError):
    """A sitemap or feed that is not well-formed, or carries forbidden XML constructs."""


@dataclass(frozen=True)
class Seed:
    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class Sitemap:
    pages: list[Seed]
    sitemaps: list[str]  # nested sitemaps of a sitemap index


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _parse_xml(body: bytes) -> Element:
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    body = body.lstrip()  # some feeds put a blank line before the XML declaration
    try:
        return fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as error:
        raise SeedParseError(f"{type(error).__name__}: {error}") from None


def parse_sitemap(body: bytes) -> Sitemap:
    """Page URLs (with lastmod) of a `urlset`, or the child sitemaps of a `sitemapindex`."""
    root = _parse_xml(body)
    pages: list[Seed] = []
    children: list[str] = []
    for entry in root:
        kind = _local(entry.tag)
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        if kind == "url" and len(pages) < MAX_SITEMAP_URLS:
            pages.append(Seed(loc, _child_text(entry, "lastmod")))
        elif kind == "sitemap":
            children.append(loc)
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise SeedParseError(f"not a sitemap (root element <{_local(root.tag)}>)")
    return Sitemap(pages, children)


def _atom_link(entry: Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        fallback = fallback or (href.strip() if href else None)
    return fallback


def parse_feed(body: bytes) -> list[Seed]:
    """Item links of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom feed, with their date if any."""
    root = _parse_xml(body)
    kind = _local(root.tag)
    seeds: list[Seed] = []
    if kind == "feed":  # Atom
        for entry in root:
            if _local(entry.tag) == "entry":
                link = _atom_link(entry)
                if link:
                    date = _child_text(entry, "updated") or _child_text(entry, "published")
                    seeds.append(Seed(link, date))
        return seeds
    if kind not in ("rss", "rdf"):
        raise SeedParseError(f"not a feed (root element <{kind}>)")
    items = [e for e in root.iter() if _local(e.tag) == "item"]
    for item in items:
        link = _child_text(item, "link")
        if not link:
            guid = next((c for c in item if _local(c.tag) == "guid"), None)
            if guid is not None and guid.text and guid.get("isPermaLink", "true") != "false":
                link = guid.text.strip()
        if link:
            date = _child_text(item, "pubdate") or _child_text(item, "date")
            seeds.append(Seed(link, date))
    return seeds
