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

from core.quarantine import quarantined
from core.raw_schema import RAW_TABLES, quarantine
from ingestion.web.crawl import Emitted, crawl

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

    from core.config import EcouteConfig

SOURCE = "web"
PAGES = RAW_TABLES["web_pages"]
COMMENTS = RAW_TABLES["web_comments"]
QUARANTINE = quarantine(SOURCE)


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
        name=PAGES.name,
        write_disposition="merge",
        primary_key=PAGES.key,
        columns=PAGES.dlt_columns(),
    )
    def web_pages(item: Emitted) -> Iterator[dict[str, Any]]:
        if item.kind == "page":
            yield item.row

    @dlt.transformer(
        data_from=web_crawl,
        name=COMMENTS.name,
        write_disposition="merge",
        primary_key=COMMENTS.key,
        columns=COMMENTS.dlt_columns(),
    )
    def web_comments(item: Emitted) -> Iterator[dict[str, Any]]:
        if item.kind == "comment":
            yield item.row

    # Its own resource: a table variant would inherit the column hints of web_pages.
    @dlt.transformer(
        data_from=web_crawl,
        name=QUARANTINE.name,
        write_disposition="merge",
        primary_key=QUARANTINE.key,
        columns=QUARANTINE.dlt_columns(),
    )
    def web_quarantine(item: Emitted) -> Iterator[Any]:
        if item.kind == "quarantine":
            yield quarantined(SOURCE, item.row["reason"], item.row["payload"])

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def web() -> list[Any]:
        return [web_crawl, web_pages, web_comments, web_quarantine]

    return web()
