"""Mastodon statuses from hashtag timelines (and, with a token, status search) on chosen instances.

Every timeline is read forwards with `min_id`: each call returns the statuses just after the cursor,
the `Link: rel="prev"` header (or the newest id seen) moves it on, and the walk stops when a page
comes back short. Mastodon ids are snowflakes (milliseconds << 16), so the first run starts at
`initial_days` ago and every later run at the saved id minus `overlap_s`, without a gap.
The same status seen on two instances has one `uri`: merge keeps one row.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

import dlt
from requests.utils import parse_header_links

from core.config import EcouteConfig, MastodonSource
from core.raw_schema import RAW_TABLES
from ingestion.api.client import ApiClient, BadPayload, BodyTooLarge, HttpSettings
from ingestion.api.records import (
    RecordError,
    brand_queries,
    html_to_text,
    note_parent,
    opt_id,
    opt_int,
    opt_str,
    parse_time,
    req_str,
    thread_root,
    utc_now,
    web_url,
)
from ingestion.api.stream import Cursor, quarantine_hints, read_stream

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

SOURCE = "mastodon"
RAW = RAW_TABLES["mastodon_posts"]
STORES_THREAD = "thread_id" in RAW.column_names  # until core.raw_schema declares it


def snowflake_at(epoch_s: float) -> int:
    """The smallest Mastodon id created at `epoch_s`."""
    return int(epoch_s * 1000) << 16


def status_to_row(status: Any, instance: str, matched: str) -> dict[str, Any]:
    """One status (boosts unwrapped to the boosted post) as a `mastodon_posts` row."""
    if not isinstance(status, dict):
        raise RecordError(f"status should be an object, got {type(status).__name__}")
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    account = status.get("account")
    if not isinstance(account, dict):
        raise RecordError("missing object field 'account'")
    content = opt_str(status, "content") or ""
    uri = req_str(status, "uri")
    return {
        "uri": uri,
        "instance": instance,
        "status_id": opt_id(status, "id"),
        "author": req_str(account, "acct"),
        "author_name": opt_str(account, "display_name"),
        "created_at": parse_time(status.get("created_at"), "created_at"),
        "title": None,
        "text": html_to_text(content),
        "spoiler_text": opt_str(status, "spoiler_text"),
        "url": web_url(opt_str(status, "url"), "url") or web_url(uri, "uri"),
        "in_reply_to_id": opt_id(status, "in_reply_to_id"),
        "language": opt_str(status, "language"),
        "replies_count": opt_int(status, "replies_count"),
        "reblogs_count": opt_int(status, "reblogs_count"),
        "favourites_count": opt_int(status, "favourites_count"),
        "matched_query": matched,
        "fetched_at": utc_now(),
    }


def in_thread(row: dict[str, Any], links: dict[str, str]) -> dict[str, Any]:
    """`row` with `thread_id`: the status id (same instance) of its thread's root, followed
    through the reply links seen in this and earlier runs (`links`, updated); its own id for a
    status that answers none. A reply whose ancestors were never collected is rooted at the
    furthest one known."""
    prefix = f"{row['instance']}:"
    post, parent = row["status_id"], row["in_reply_to_id"]
    if post:
        note_parent(links, prefix + post, prefix + parent if parent else None)
    start = parent or post
    row["thread_id"] = thread_root(links, prefix + start).removeprefix(prefix) if start else None
    if not STORES_THREAD:
        del row["thread_id"]
    return row


def _threaded_row(status: Any, instance: str, matched: str, links: dict[str, str]) -> Any:
    return in_thread(status_to_row(status, instance, matched), links)


def default_hashtags(config: EcouteConfig) -> list[str]:
    """Brand aliases that can be hashtags (one word once '#', '@', spaces and dots are dropped)."""
    tags = []
    for term in brand_queries(config, []):
        tag = re.sub(r"[\s#@.\-']", "", term)
        if re.fullmatch(r"\w+", tag) and not term.startswith("@"):
            tags.append(tag)
    return brand_queries(config, tags) if tags else []


def _prev_min_id(headers: dict[str, str]) -> int | None:
    link = next((v for k, v in headers.items() if k.lower() == "link"), None)
    if not link:
        return None
    for item in parse_header_links(link):
        if item.get("rel") == "prev":
            found = parse_qs(urlsplit(item.get("url", "")).query).get("min_id")
            if found and found[0].isdigit():
                return int(found[0])
    return None


class _Timeline:
    """Reads one timeline forwards from a `min_id`; remembers the newest id it reached."""

    def __init__(
        self, client: ApiClient, section: MastodonSource, url: str, params: dict[str, Any]
    ) -> None:
        self.client, self.section, self.url, self.params = client, section, url, params
        self.complete = True
        self.newest = 0

    def statuses(self, min_id: int) -> Iterator[tuple[Any, str | None]]:
        """(status, None) per status, or (payload, reason) for a page that cannot be read."""
        self.newest = min_id
        for _ in range(self.section.max_pages):
            params = {**self.params, "min_id": str(min_id), "limit": self.section.page_size}
            try:
                fetched = self.client.get(self.url, params=params)
                data = fetched.json()
                if isinstance(data, dict):  # /api/v2/search
                    data = data.get("statuses")
                if not isinstance(data, list):
                    raise BadPayload("response is not a list of statuses", fetched.body)
            except BodyTooLarge as error:
                self.complete = False
                yield error.head, str(error)
                return
            except BadPayload as error:
                self.complete = False
                yield error.payload, f"{self.url}: {error.reason}"
                return
            ids = []
            for status in data:
                sid = status.get("id") if isinstance(status, dict) else None
                if isinstance(sid, str) and sid.isdigit():
                    ids.append(int(sid))
                yield status, None
            if not data:
                return
            following = _prev_min_id(fetched.headers) or max(ids, default=min_id)
            if following <= min_id:
                return
            min_id = self.newest = max(self.newest, following)
            if len(data) < self.section.page_size:
                return
        log.warning("mastodon: %s stopped after max_pages; the rest comes next run", self.url)


def mastodon_source(config: EcouteConfig) -> DltSource:
    """The `mastodon` dlt source: resource `mastodon_posts` (+ `mastodon_quarantine`)."""
    section = config.sources.mastodon or MastodonSource()
    settings = HttpSettings.from_config(config, section)
    token = os.environ.get(section.access_token_env)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    queries = section.queries or (brand_queries(config, []) if token else [])
    if section.hashtags:
        hashtags = brand_queries(config, [t.lstrip("#") for t in section.hashtags])
    else:  # no hashtags configured: brand hashtags, unless the user chose search queries
        hashtags = [] if section.queries else default_hashtags(config)

    @dlt.resource(
        name=RAW.name, write_disposition="merge", primary_key=RAW.key, columns=RAW.dlt_columns()
    )
    def mastodon_posts() -> Iterator[Any]:
        cursor = Cursor(
            dlt.current.resource_state().setdefault("min_id", {}),
            start=snowflake_at(utc_now().timestamp() - section.initial_days * 86400),
            overlap=snowflake_at(section.overlap_s),
            load=int,
            dump=str,
        )
        client = ApiClient(SOURCE, settings, headers=headers)
        links = dlt.current.resource_state().setdefault("reply_links", {})
        seen: set[str] = set()
        streams: list[tuple[str, str, dict[str, str]]] = [
            (f"#{t}", f"/api/v1/timelines/tag/{quote(t)}", {}) for t in hashtags
        ]
        streams += [
            (q, "/api/v2/search", {"q": q, "type": "statuses", "resolve": "false"}) for q in queries
        ]
        for instance in section.instances:
            base = instance.rstrip("/")
            for matched, path, params in streams:
                key = f"{base}|{matched.casefold()}"
                since = cursor.since(key)
                timeline = _Timeline(client, section, base + path, params)
                host = urlsplit(base).netloc
                yield from read_stream(
                    SOURCE,
                    timeline.statuses(since),
                    partial(_threaded_row, instance=host, matched=matched, links=links),
                    "uri",
                    seen,
                    terms=[name for name, _, _ in streams],
                )
                if timeline.complete:
                    cursor.advance(key, timeline.newest, since)

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def mastodon() -> Any:
        return quarantine_hints(mastodon_posts, SOURCE)

    return mastodon()
