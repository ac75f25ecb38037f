"""Enrich the mentions not yet enriched; write `enrichment.*` through the dlt pipeline `enrichment`.

A mention is (re)processed when it has no row in `enrichment.mention_enrichment`, its `content_hash`
changed, or the `enrichment_version` changed. The pending set (ids only) is computed once per run;
the mentions are then read by id, several batches per short warehouse connection (either engine:
`core.sql_client`), enriched on a process pool, and streamed to dlt, so only the ids grow
with the number of pending mentions, never their text. Records that fail go to
`enrichment.mention_enrichment_quarantine`.

The pending mentions are loaded `LOAD_CHUNK` at a time, each chunk its own dlt load, on one pool
that lives for the whole run: a run killed after hours of enrichment keeps every chunk it loaded,
and the next run enriches only the rest.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dlt

from core import sql_client, warehouse
from core.config import EcouteConfig
from core.loading import LOADER_FILE_FORMAT, make_pipeline
from core.quarantine import quarantined
from transform.parallel import default_workers, enricher
from transform.version import project_version

log = logging.getLogger(__name__)

PIPELINE_NAME = DATASET = "enrichment"
MENTIONS_TABLE = "intermediate.int_mentions"
ENRICHMENT_TABLE = "mention_enrichment"
OBJECTIVE_COLUMNS: dict[str, Any] = {
    "objective": {"data_type": "text", "nullable": False},
    "brand": {"data_type": "text", "nullable": False},
    "kpi": {"data_type": "text", "nullable": False},
    "target": {"data_type": "double", "nullable": False},
    "direction": {"data_type": "text", "nullable": False},
}
ACCOUNT_COLUMNS: dict[str, Any] = {
    "brand": {"data_type": "text", "nullable": False},
    "handle": {"data_type": "text", "nullable": False},
}
# Below this many pending mentions the pool's start-up costs more than it saves.
POOL_THRESHOLD = 1000
# Batches read per query: each read costs a pass over the mentions' ids, their text stays small.
READ_BATCHES = 10
# Mentions per dlt load (about 4 minutes of enrichment on 2 cores; a load costs a few seconds).
LOAD_CHUNK = 50_000


@dataclass
class EnrichmentSummary:
    pending: int
    enriched: int
    errors: int
    version: str
    seconds: float
    workers: int = 1


def _enrichment_exists(con: sql_client.Connection) -> bool:
    return con.table_exists(DATASET, ENRICHMENT_TABLE)


def _pending_sql(with_existing: bool, select: str) -> str:
    base = f"select {select} from {MENTIONS_TABLE} as m"
    if not with_existing:
        return base
    return (
        base + f" left join {DATASET}.{ENRICHMENT_TABLE} as e on e.mention_id = m.mention_id"
        " where (e.mention_id is null or e.content_hash is distinct from m.content_hash"
        " or e.enrichment_version is distinct from ?)"
    )


def pending_ids(config: EcouteConfig, version: str) -> list[str]:
    """The ids of every pending mention, in order, from one query: the set is computed once per
    run (the join against `mention_enrichment` is what grows with the total), then the pages read
    the mentions by id. Ids only, so a million pending cost tens of MB, not their text."""
    with sql_client.connect(config, read_only=True) as con:
        existing = _enrichment_exists(con)
        sql = _pending_sql(existing, "m.mention_id") + " order by m.mention_id"
        return [mention_id for (mention_id,) in con.execute(sql, [version] if existing else [])]


def pending_batches(
    config: EcouteConfig, version: str, batch_size: int, ids: list[str] | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Pending mentions as enrichment records (`id`, `text`, `content_hash`, `lang_hint`, `source`,
    `site`: the brand queries' scopes), `batch_size` at a time, read by id (`ids`, else
    `pending_ids`), `READ_BATCHES` batches per short warehouse connection.

    `lang_hint` is the language the source declared (Mastodon, Bluesky, feeds, html `lang`,
    imports): a prior for language identification, not a verdict.

    An article's title is part of what it says; a comment's `title` is its thread's, which the
    commenter did not write (a homonym under a brand's article must not count for the brand), and
    an HN story's text already starts with its title.
    """
    ids = pending_ids(config, version) if ids is None else ids
    sql = (
        "select m.mention_id, m.content_hash, "
        "case when m.kind = 'article' then m.title end as title, m.text, m.lang_hint, "
        f"m.source, m.site from {MENTIONS_TABLE} as m "
        # The page's first and last ids (the database's own order) bound the scan: min/max
        # indexes skip most of the table, and the membership test only runs inside the range.
        "where m.mention_id between ? and ? and m.mention_id in (select unnest(?::varchar[])) "
        "order by m.mention_id"
    )
    # Each read scans the id column once (no index): read several batches per query.
    read_size = batch_size * READ_BATCHES
    for start in range(0, len(ids), read_size):
        page = ids[start : start + read_size]
        with sql_client.connect(config, read_only=True) as con:
            rows = con.execute(sql, [page[0], page[-1], page])
        # A mention gone since the pending set was read (a `forget`) is simply not there.
        for first in range(0, len(rows), batch_size):
            yield [
                {
                    "id": mention_id,
                    "content_hash": content_hash,
                    "text": "\n".join(part for part in (title, text) if part),
                    "lang_hint": lang_hint,
                    "source": source,
                    "site": site,
                }
                for mention_id, content_hash, title, text, lang_hint, source, site in rows[
                    first : first + batch_size
                ]
            ]


def to_row(
    result: dict[str, Any], content_hash: str | None, version: str, backend: str = "rules"
) -> dict[str, Any]:
    """An enrichment result in the `mention_enrichment` contract (nested lists → child tables).

    `sentiment_confidence` is the backend's probability of its label (0 when no model was applied:
    `sentiment_scored` false, a language the project does not track or the backend cannot score).
    """
    overall = result["sentiment"]
    return {
        "mention_id": result["id"],
        "content_hash": content_hash,
        "enrichment_version": version,
        "lang": result["lang"],
        "lang_confidence": result["lang_confidence"],
        "sentiment_label": overall["label"],
        "sentiment_score": overall["score"],
        "sentiment_confidence": overall.get("confidence"),
        "sentiment_scored": overall.get("scored", True),
        "sentiment_backend": backend,
        "enriched_at": datetime.now(UTC),
        "brands": [
            {
                "brand": b["brand"],
                "alias": b["alias"],
                "rule": b["rule"],
                "match_explanation": json.dumps(b["explanation"], ensure_ascii=False)
                if b.get("explanation")
                else None,
                "sentiment_label": b["sentiment"]["label"],
                "sentiment_score": b["sentiment"]["score"],
                "sentiment_confidence": b["sentiment"].get("confidence"),
                "sentiment_rule": b.get("sentiment_rule"),
            }
            for b in result["brands"]
        ],
        "entities": result["entities"],
        "keywords": result["keywords"],
    }


def config_tables(config: EcouteConfig) -> list[Any]:
    """`objectives` and `official_accounts` from ecoute.yml, replaced on every run like `brands`
    (dbt reads them back: mart_objectives_daily, fct_brand_requests)."""

    @dlt.resource(name="objectives", write_disposition="replace", columns=OBJECTIVE_COLUMNS)
    def objectives() -> Iterator[dict[str, Any]]:
        for objective in config.objectives:
            yield {
                "objective": objective.name,
                "brand": objective.brand,
                "kpi": objective.kpi,
                "target": float(objective.target),
                "direction": objective.direction,
            }

    @dlt.resource(name="official_accounts", write_disposition="replace", columns=ACCOUNT_COLUMNS)
    def official_accounts() -> Iterator[dict[str, Any]]:
        for brand in config.brands:
            for handle in brand.official_accounts:
                yield {"brand": brand.name, "handle": handle.lower()}

    return [objectives(), official_accounts()]


def enrich_new_mentions(
    config: EcouteConfig,
    batch_size: int = 500,
    workers: int | None = None,
    chunk_size: int = LOAD_CHUNK,
) -> EnrichmentSummary:
    """Enrich pending mentions; load `enrichment.mention_enrichment` (+ children), `brands`,
    `objectives` and `official_accounts`, `chunk_size` mentions per load."""
    started = time.perf_counter()
    version = project_version(config)
    ids = pending_ids(config, version)
    pending = len(ids)
    if workers is None:
        workers = default_workers() if pending >= POOL_THRESHOLD else 1
    counts = {"enriched": 0, "errors": 0}
    hashes: dict[str, str | None] = {}
    pipeline = make_pipeline(config, PIPELINE_NAME, dataset=DATASET)
    backend = config.sentiment.backend

    def batches(chunk: list[str]) -> Iterator[list[dict[str, Any]]]:
        for batch in pending_batches(config, version, batch_size, chunk):
            hashes.update((r["id"], r.pop("content_hash")) for r in batch)
            yield batch

    with enricher(config.brands, workers, backend, config.languages) as enrich:
        # One load per chunk; the first also replaces the tables written from ecoute.yml, and
        # runs even when nothing is pending.
        for start in range(0, max(pending, 1), chunk_size):
            results = enrich(batches(ids[start : start + chunk_size]))
            tables = [_mention_enrichment(results, hashes, counts, version, backend)]
            if start == 0:
                tables += [_brands(config), *config_tables(config)]
            _load(config, pipeline, tables)
    summary = EnrichmentSummary(
        pending=pending,
        enriched=counts["enriched"],
        errors=counts["errors"],
        version=version,
        seconds=round(time.perf_counter() - started, 3),
        workers=workers,
    )
    log.info("enrichment: %s", summary)
    return summary


def _mention_enrichment(
    results: Iterator[list[dict[str, Any]]],
    hashes: dict[str, str | None],
    counts: dict[str, int],
    version: str,
    backend: str,
) -> Any:
    """The `mention_enrichment` resource over enrichment results (errors to its quarantine)."""

    @dlt.resource(
        name=ENRICHMENT_TABLE,
        write_disposition="merge",
        primary_key="mention_id",
        columns={
            "lang_confidence": {"data_type": "double"},
            "sentiment_score": {"data_type": "double"},
            "sentiment_confidence": {"data_type": "double", "nullable": True},
            "sentiment_scored": {"data_type": "bool"},
            "sentiment_backend": {"data_type": "text"},
            "enriched_at": {"data_type": "timestamp"},
            "content_hash": {"data_type": "text", "nullable": True},
        },
    )
    def mention_enrichment() -> Iterator[Any]:
        for batch in results:
            for result in batch:
                content_hash = hashes.pop(result["id"], None)
                if "error" in result:
                    counts["errors"] += 1
                    yield quarantined(ENRICHMENT_TABLE, result["error"], result["id"])
                    continue
                counts["enriched"] += 1
                yield to_row(result, content_hash, version, backend)

    return mention_enrichment()


def _brands(config: EcouteConfig) -> Any:
    @dlt.resource(
        name="brands", write_disposition="replace", columns={"aliases": {"data_type": "json"}}
    )
    def brands() -> Iterator[dict[str, Any]]:
        for brand in config.brands:
            yield {
                "brand": brand.name,
                "is_competitor": brand.competitor,
                "aliases": [a.text for a in brand.all_aliases],
            }

    return brands()


def _load(config: EcouteConfig, pipeline: Any, tables: list[Any]) -> None:
    """Extract (the enrichment work) and normalise, then load: only the load touches the
    warehouse, so only the load waits out another process's DuckDB lock, never re-enriching."""
    pipeline.extract(tables, loader_file_format=LOADER_FILE_FORMAT)
    pipeline.normalize()
    if warehouse.engine(config) == "duckdb":
        warehouse.retry_lock(
            pipeline.load, warehouse.duckdb_path(config), warehouse.LOAD_LOCK_WAIT_SECONDS
        )
    else:
        pipeline.load()
