"""Bluesky posts from the AppView's public search (`app.bsky.feed.searchPosts`, newest first).

Each query keeps the newest `indexedAt` it has seen in dlt state; the next run asks only for posts
`since` then (minus `overlap_s`) and follows `cursor` until the results run out. Merge on the post's
`at://` uri makes overlaps and posts matched by several queries one row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import dlt

from core.config import BlueskySource, EcouteConfig
from core.raw_schema import RAW_TABLES
from ingestion.api.client import ApiClient, BadPayload, BodyTooLarge, HttpSettings
from ingestion.api.records import (
    RecordError,
    brand_queries,
    check_text,
    opt_int,
    opt_str,
    parse_time,
    req_str,
    utc_now,
)
from ingestion.api.stream import Cursor, quarantine_hints, read_stream

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

SOURCE = "bluesky"
RAW = RAW_TABLES["bluesky_posts"]
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"


def _ref_uri(reply: Any, which: str) -> str | None:
    ref = reply.get(which) if isinstance(reply, dict) else None
    return opt_str(ref, "uri") if isinstance(ref, dict) else None


def post_to_row(post: Any, query: str) -> dict[str, Any]:
    """One PostView as a `bluesky_posts` row; RecordError when it is unusable."""
    if not isinstance(post, dict):
        raise RecordError(f"post should be an object, got {type(post).__name__}")
    author, record = post.get("author"), post.get("record")
    if not isinstance(author, dict):
        raise RecordError("missing object field 'author'")
    if not isinstance(record, dict):
        raise RecordError("missing object field 'record'")
    uri = req_str(post, "uri")
    if not uri.startswith("at://"):
        raise RecordError(f"field 'uri' is not an at:// uri: {uri[:60]!r}")
    handle = req_str(author, "handle")
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError("field 'record.text' should be a string")
    langs = record.get("langs")
    language = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None
    reply = record.get("reply")
    return {
        "uri": uri,
        "cid": opt_str(post, "cid"),
        "author": handle,
        "author_did": opt_str(author, "did"),
        "author_name": opt_str(author, "displayName"),
        "created_at": parse_time(record.get("createdAt"), "record.createdAt"),
        "indexed_at": parse_time(post.get("indexedAt"), "indexedAt"),
        "title": None,
        "text": check_text(text, "record.text"),
        "url": f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}",
        "parent_uri": _ref_uri(reply, "parent"),
        "root_uri": _ref_uri(reply, "root"),
        "language": language,
        "reply_count": opt_int(post, "replyCount"),
        "repost_count": opt_int(post, "repostCount"),
        "like_count": opt_int(post, "likeCount"),
        "quote_count": opt_int(post, "quoteCount"),
        "matched_query": query,
        "fetched_at": utc_now(),
    }


def _iso(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _search(
    client: ApiClient, section: BlueskySource, query: str, since: str
) -> Iterator[tuple[Any, str | None]]:
    """(post, None) per hit, or (payload, reason) for a page that cannot be read."""
    url = section.base_url.rstrip("/") + SEARCH_PATH
    cursor: str | None = None
    for _ in range(section.max_pages):
        params = {"q": query, "sort": "latest", "since": since, "limit": section.page_size}
        if cursor:
            params["cursor"] = cursor
        try:
            fetched = client.get(url, params=params)
            data = fetched.json()
            if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
                raise BadPayload("response has no 'posts' list", fetched.body)
        except BodyTooLarge as error:
            yield error.head, str(error)
            return
        except BadPayload as error:
            yield error.payload, f"search {query!r}: {error.reason}"
            return
        for post in data["posts"]:
            yield post, None
        cursor = data.get("cursor") if isinstance(data.get("cursor"), str) else None
        if not data["posts"] or not cursor:
            return
    log.warning("bluesky: query %r stopped after max_pages; older posts are skipped", query)


def bluesky_source(config: EcouteConfig) -> DltSource:
    """The `bluesky` dlt source: resource `bluesky_posts` (+ `bluesky_quarantine`)."""
    section = config.sources.bluesky or BlueskySource()
    settings = HttpSettings.from_config(config, section)
    queries = brand_queries(config, section.queries)

    @dlt.resource(
        name=RAW.name, write_disposition="merge", primary_key=RAW.key, columns=RAW.dlt_columns()
    )
    def bluesky_posts() -> Iterator[Any]:
        cursor = Cursor(
            dlt.current.resource_state().setdefault("indexed_at", {}),
            start=utc_now() - timedelta(days=section.initial_days),
            overlap=timedelta(seconds=section.overlap_s),
            load=lambda saved: parse_time(saved, "state"),
            dump=lambda moment: moment.isoformat(),
        )
        client = ApiClient(SOURCE, settings)
        seen: set[str] = set()
        for query in queries:
            key = query.casefold()
            since = cursor.since(key)
            progress = yield from read_stream(
                SOURCE,
                _search(client, section, query, _iso(since)),
                partial(post_to_row, query=query),
                "uri",
                seen,
                terms=queries,
                cursor_of=lambda row: row["indexed_at"],
                newest=since,
            )
            if progress.complete:
                cursor.advance(key, progress.newest, since)

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def bluesky() -> Any:
        return quarantine_hints(bluesky_posts, SOURCE)

    return bluesky()
