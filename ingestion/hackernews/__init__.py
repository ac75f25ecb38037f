"""Hacker News stories and comments that mention the brands, via the Algolia HN search API.

`hackernews_source(config)` searches `search_by_date` for each query (default: every brand alias),
pages through the results and keeps one incremental cursor (`created_at_i`) per query in dlt state,
so a re-run asks only for newer items (minus `overlap_s` for late indexing; merge absorbs repeats).
Algolia stops at 1,000 hits per search: when a window holds more, the search is repeated below the
oldest hit seen, so the whole range is read without a gap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import dlt

from core.config import EcouteConfig, HackerNewsSource
from core.raw_schema import RAW_TABLES
from ingestion.api.client import (
    ApiClient,
    BadPayload,
    BodyTooLarge,
    HttpSettings,
)
from ingestion.api.records import (
    RecordError,
    brand_queries,
    html_to_text,
    matching_queries,
    opt_id,
    opt_int,
    opt_str,
    parse_time,
    req_int,
    req_str,
    utc_now,
    web_url,
)
from ingestion.api.stream import Cursor, quarantine_hints, read_stream

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

SOURCE = "hackernews"
RAW = RAW_TABLES["hackernews_items"]


def hit_to_row(hit: Any, query: str) -> dict[str, Any]:
    """One Algolia hit as a `hackernews_items` row; RecordError when it is unusable."""
    if not isinstance(hit, dict):
        raise RecordError(f"hit should be an object, got {type(hit).__name__}")
    tags = hit.get("_tags") or []
    if not isinstance(tags, list):
        raise RecordError("field '_tags' should be a list")
    if "story" in tags:
        item_type = "story"
    elif "comment" in tags:
        item_type = "comment"
    else:
        raise RecordError("hit is neither a story nor a comment (no such _tags)")
    created_i = req_int(hit, "created_at_i")
    created_at = parse_time(hit["created_at"], "created_at") if hit.get("created_at") else None
    body = opt_str(hit, "comment_text") or opt_str(hit, "story_text") or ""
    return {
        "object_id": req_str(hit, "objectID"),
        "item_type": item_type,
        "title": opt_str(hit, "title"),
        "text": html_to_text(body),
        "url": web_url(opt_str(hit, "url"), "url"),
        "author": opt_str(hit, "author"),
        "created_at": created_at or parse_time(created_i, "created_at_i"),
        "parent_id": opt_id(hit, "parent_id"),
        "story_id": opt_id(hit, "story_id"),
        "points": opt_int(hit, "points"),
        "num_comments": opt_int(hit, "num_comments"),
        "matched_query": query,
        "fetched_at": utc_now(),
    }


class _Search:
    """Reads every hit of one query newer than a cursor; remembers how far it got."""

    def __init__(
        self, client: ApiClient, section: HackerNewsSource, query: str, since: int
    ) -> None:
        self.client = client
        self.section = section
        self.query = query
        self.since = since
        self.newest = since
        self.complete = True
        self.requests = 0

    def hits(self) -> Iterator[tuple[Any, str | None]]:
        """Yields (hit, None) for each hit, or (payload, reason) for a broken page."""
        upper: int | None = None
        while True:
            window_count, window_total, oldest = 0, 0, None
            page = 0
            while True:
                if self.requests >= self.section.max_pages:
                    log.warning(
                        "hackernews: query %r stopped after max_pages=%d requests; older items "
                        "in this range are skipped (raise max_pages)",
                        self.query,
                        self.section.max_pages,
                    )
                    return
                data = yield from self._page(page, upper)
                if data is None:
                    self.complete = False
                    return
                hits = data["hits"]
                for hit in hits:
                    created = hit.get("created_at_i") if isinstance(hit, dict) else None
                    if isinstance(created, int) and not isinstance(created, bool):
                        self.newest = max(self.newest, created)
                        oldest = created if oldest is None else min(oldest, created)
                    yield hit, None
                window_count += len(hits)
                window_total = data["nbHits"]
                page += 1
                if not hits or page >= data["nbPages"]:
                    break
            if window_total > window_count and oldest is not None and oldest != upper:
                upper = oldest  # Algolia's 1,000-hit ceiling: read on below the oldest seen
                continue
            return

    def _page(self, page: int, upper: int | None) -> Any:
        filters = f"created_at_i>{self.since}"
        if upper is not None:
            filters += f",created_at_i<={upper}"
        params = {
            "query": self.query,
            "tags": "(story,comment)",
            "numericFilters": filters,
            "page": page,
            "hitsPerPage": self.section.hits_per_page,
        }
        self.requests += 1
        url = f"{self.section.base_url.rstrip('/')}/search_by_date"
        try:
            data = self.client.get(url, params=params).json()
            if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
                raise BadPayload("response has no 'hits' list", data)
            for key in ("nbHits", "nbPages"):
                if isinstance(data.get(key), bool) or not isinstance(data.get(key), int):
                    raise BadPayload(f"response field {key!r} is not an integer", data)
        except BodyTooLarge as error:
            yield error.head, str(error)
            return None
        except BadPayload as error:
            yield error.payload, f"page {page} of {self.query!r}: {error.reason}"
            return None
        return data


def _matched_row(hit: Any, query: str, queries: list[str]) -> dict[str, Any]:
    return _with_matches(hit_to_row(hit, query), queries)


def _with_matches(row: dict[str, Any], queries: list[str]) -> dict[str, Any]:
    """The row with `matched_query` set to every query its title and text match."""
    words = f"{row['title'] or ''} {row['text'] or ''}"
    row["matched_query"] = matching_queries(words, queries, row["matched_query"])
    return row


def hackernews_source(config: EcouteConfig) -> DltSource:
    """The `hackernews` dlt source: resource `hackernews_items` (+ `hackernews_quarantine`)."""
    section = config.sources.hackernews or HackerNewsSource()
    settings = HttpSettings.from_config(config, section)
    queries = brand_queries(config, section.queries)

    @dlt.resource(
        name=RAW.name, write_disposition="merge", primary_key=RAW.key, columns=RAW.dlt_columns()
    )
    def hackernews_items() -> Iterator[Any]:
        state = dlt.current.resource_state().setdefault("created_at_i", {})
        cursor = Cursor(
            state,
            start=int(utc_now().timestamp()) - section.initial_days * 86400,
            overlap=section.overlap_s,
        )
        client = ApiClient(SOURCE, settings)
        seen: set[str] = set()
        for query in queries:
            key = query.casefold()
            since = cursor.since(key)
            search = _Search(client, section, query, since)
            yield from read_stream(
                SOURCE,
                search.hits(),
                partial(_matched_row, query=query, queries=queries),
                "object_id",
                seen,
            )
            if search.complete:  # saved even when nothing is new: a first run keeps its start
                state[key] = max(search.newest, state.get(key, 0))

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def hackernews() -> Any:
        return quarantine_hints(hackernews_items, SOURCE)

    return hackernews()
