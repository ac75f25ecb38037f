"""Entries of RSS / Atom / RDF feeds as posts (`feed_entries`).

Each feed is fetched with its byte cap and a conditional GET (`ETag` / `Last-Modified` kept in dlt
state), checked with defusedxml so a feed that declares entities (billion laughs, external
references) is quarantined instead of expanded, then parsed by feedparser from bytes. Entries older
than the newest one already seen (minus `overlap_s`) are skipped; merge on `entry_key` absorbs the
rest. A document that is not a feed goes to `feeds_quarantine`.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

import dlt
import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.config import EcouteConfig
from core.raw_schema import RAW_TABLES
from ingestion.api.client import ApiClient, BodyTooLarge, HttpSettings
from ingestion.api.records import (
    RecordError,
    check_text,
    html_to_text,
    keep_aside,
    unexpected,
    utc_now,
    web_url,
)
from ingestion.api.stream import quarantine_hints

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

SOURCE = "feeds"
RAW = RAW_TABLES["feed_entries"]


class FeedRefused(ValueError):
    """A document that must not be (or cannot be) parsed as a feed."""


def refuse_entities(body: bytes) -> None:
    """FeedRefused when the XML declares entities or external references (never expanded)."""
    try:
        fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise FeedRefused(f"feed declares XML entities or external references: {error}") from None
    except ParseError:
        pass  # not well-formed XML: feedparser's lenient parser decides


def _when(entry: Any, key: str) -> datetime | None:
    parsed = dict.get(entry, f"{key}_parsed")  # plain lookup: no feedparser fallback mapping
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} should be text")
    return html_to_text(check_text(value, name)) or None


def entry_to_row(entry: Any, feed_url: str, feed: Any) -> dict[str, Any]:
    """One feedparser entry as a `feed_entries` row; RecordError when it is unusable."""
    if not isinstance(entry, dict):
        raise RecordError(f"entry should be an object, got {type(entry).__name__}")
    feed = feed if isinstance(feed, dict) else {}
    link = entry.get("link")
    link = check_text(link, "link") if isinstance(link, str) else None
    title = _text(entry.get("title"), "title")
    published = _when(entry, "published") or _when(entry, "updated")
    contents = entry.get("content")
    first = contents[0] if isinstance(contents, list) and contents else None
    body = first.get("value") if isinstance(first, dict) else entry.get("summary")
    text = _text(body, "content") or ""  # checked before `body` is hashed below
    entry_id = entry.get("id") or link
    if entry_id and (isinstance(entry_id, bool) or not isinstance(entry_id, str | int)):
        raise RecordError(f"field 'id' should be text, got {type(entry_id).__name__}")
    if not entry_id:
        if not (title or body):
            raise RecordError("entry has no id, link, title or content")
        entry_id = "sha256:" + hashlib.sha256(f"{title}\x1f{body}".encode()).hexdigest()
    entry_id = check_text(str(entry_id), "id")
    return {
        "entry_key": hashlib.sha256(f"{feed_url}\x1f{entry_id}".encode()).hexdigest(),
        "entry_id": entry_id,
        "feed_url": feed_url,
        "feed_title": _text(feed.get("title"), "feed.title"),
        "title": title,
        "author": _text(entry.get("author"), "author"),
        "published_at": published,
        "updated_at": _when(entry, "updated"),
        "text": text,
        "url": web_url(link, "link"),
        "language": feed.get("language") if isinstance(feed.get("language"), str) else None,
        "matched_query": None,
        "fetched_at": utc_now(),
    }


def parse_feed(body: bytes, content_type: str | None = None) -> Any:
    """feedparser's result for a body that passed the entity check; FeedRefused if not a feed."""
    refuse_entities(body)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = getattr(parsed, "bozo_exception", None) or "no feed version recognised"
        raise FeedRefused(f"not a feed: {reason}")
    return parsed


def feeds_source(config: EcouteConfig) -> DltSource:
    """The `feeds` dlt source: resource `feed_entries` (+ `feeds_quarantine`)."""
    section = config.sources.feeds
    if section is None:
        raise ValueError("sources.feeds is not configured (it needs at least one url)")
    settings = HttpSettings.from_config(config, section)

    @dlt.resource(
        name=RAW.name, write_disposition="merge", primary_key=RAW.key, columns=RAW.dlt_columns()
    )
    def feed_entries() -> Iterator[Any]:
        state = dlt.current.resource_state().setdefault("feeds", {})
        client = ApiClient(SOURCE, settings)
        for url in section.urls:
            seen = state.get(url, {})
            headers = {}
            if seen.get("etag"):
                headers["If-None-Match"] = seen["etag"]
            if seen.get("last_modified"):
                headers["If-Modified-Since"] = seen["last_modified"]
            try:
                fetched = client.get(url, headers=headers)
            except BodyTooLarge as error:
                yield keep_aside(SOURCE, str(error), error.head)
                continue
            if fetched.status == 304:
                log.info("feeds: %s not modified", url)
                continue
            try:
                parsed = parse_feed(fetched.body, fetched.headers.get("Content-Type"))
            except FeedRefused as error:
                yield keep_aside(SOURCE, f"{url}: {error}", fetched.body)
                continue
            newest = datetime.fromisoformat(seen["newest"]) if seen.get("newest") else None
            floor = newest - timedelta(seconds=section.overlap_s) if newest else None
            for entry in parsed.entries:
                try:
                    row = entry_to_row(entry, url, parsed.feed)
                except RecordError as error:
                    yield keep_aside(SOURCE, f"{url}: {error}", dict(entry))
                    continue
                except Exception as error:  # one odd entry must not end the feed
                    yield keep_aside(SOURCE, f"{url}: {unexpected(error)}", dict(entry))
                    continue
                when = row["published_at"]
                if floor and when and when < floor:
                    continue
                if when and (newest is None or when > newest):
                    newest = when
                yield row
            lowered = {k.lower(): v for k, v in fetched.headers.items()}
            state[url] = {
                "etag": lowered.get("etag"),
                "last_modified": lowered.get("last-modified"),
                "newest": newest.isoformat() if newest else None,
            }

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def feeds() -> Any:
        return quarantine_hints(feed_entries, SOURCE)

    return feeds()
