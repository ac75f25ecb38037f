"""The web crawler as a dlt source: `web_pages` and `web_comments` in the `raw` dataset.

One hidden resource, `web_crawl`, runs the crawl (`crawl.SiteCrawler`) once and keeps its
incremental state in dlt resource state, so the state is committed with the load package that
holds the rows it describes. Two transformers split its output into the two merge tables; records
that fail go to `raw.web_quarantine` (resource `web_quarantine`) through
`core.quarantine.quarantined`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import dlt

from core.quarantine import quarantine_table, quarantined
from ingestion.web.crawl import Emitted, crawl

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

    from core.config import EcouteConfig

SOURCE = "web"


def _col(data_type: str, nullable: bool = True) -> dict[str, Any]:
    """A fresh column hint (dlt fills hints in place, so they must not be shared)."""
    hint: dict[str, Any] = {"data_type": data_type, "nullable": nullable}
    if data_type == "timestamp":
        hint["timezone"] = True
    return hint


PAGE_COLUMNS: dict[str, dict[str, Any]] = {
    "url": _col("text", nullable=False),
    "site": _col("text", nullable=False),
    "title": _col("text"),
    "author": _col("text"),
    "published_at": _col("timestamp"),
    "text": _col("text", nullable=False),
    "content_hash": _col("text", nullable=False),
    "lang_hint": _col("text"),
    "duplicate_of": _col("text"),
    "fetched_at": _col("timestamp", nullable=False),
    "http_etag": _col("text"),
    "http_last_modified": _col("text"),
}
COMMENT_COLUMNS: dict[str, dict[str, Any]] = {
    "comment_id": _col("text", nullable=False),
    "page_url": _col("text", nullable=False),
    "parent_id": _col("text"),
    "position": _col("bigint", nullable=False),
    "author": _col("text"),
    "published_at": _col("timestamp"),
    "text": _col("text", nullable=False),
    "content_hash": _col("text", nullable=False),
    "fetched_at": _col("timestamp", nullable=False),
}


def web_source(config: EcouteConfig) -> DltSource:
    """The configured sites as a dlt source named "web" (crawls when the pipeline extracts)."""
    sites = [s for s in config.sources.web if s.enabled]
    settings = config.crawler

    @dlt.resource(name="web_crawl", selected=False)
    def web_crawl() -> Iterator[Emitted]:
        state = dlt.current.resource_state().setdefault("sites", {})
        yield from crawl(sites, settings, state)

    @dlt.transformer(
        data_from=web_crawl,
        name="web_pages",
        write_disposition="merge",
        primary_key="url",
        columns=PAGE_COLUMNS,
    )
    def web_pages(item: Emitted) -> Iterator[dict[str, Any]]:
        if item.kind == "page":
            yield item.row

    @dlt.transformer(
        data_from=web_crawl,
        name="web_comments",
        write_disposition="merge",
        primary_key="comment_id",
        columns=COMMENT_COLUMNS,
    )
    def web_comments(item: Emitted) -> Iterator[dict[str, Any]]:
        if item.kind == "comment":
            yield item.row

    # Its own resource: a table variant would inherit the column hints of web_pages.
    @dlt.transformer(data_from=web_crawl, name=quarantine_table(SOURCE))
    def web_quarantine(item: Emitted) -> Iterator[Any]:
        if item.kind == "quarantine":
            yield quarantined(SOURCE, item.row["reason"], item.row["payload"])

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def web() -> list[Any]:
        return [web_crawl, web_pages, web_comments, web_quarantine]

    return web()
