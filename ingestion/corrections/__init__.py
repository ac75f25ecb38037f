"""The corrections store (`core.corrections`) into `raw.corrections` and `raw.coding_answers`.

The store is append-only and small, so every build reads it whole; dlt merges on `event_id`, so a
build killed after the load and run again adds no row twice, and dbt applies each correction
exactly once (`int_corrections_latest`). No store yet (nobody corrected anything): no rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import dlt

from core import corrections
from core.raw_schema import RAW_TABLES

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

    from core.config import EcouteConfig

log = logging.getLogger(__name__)

TABLES = (corrections.CORRECTIONS, corrections.CODING_ANSWERS)


@dlt.source(name="corrections")
def corrections_source(config: EcouteConfig) -> Any:
    """One merge resource per store table (events of people, never of the model)."""
    for table in TABLES:
        raw = RAW_TABLES[table]

        def rows(name: str = table) -> Iterator[dict[str, Any]]:
            columns = RAW_TABLES[name].column_names
            for row in corrections.rows(config, name):
                yield {c: row.get(c) for c in columns}

        yield dlt.resource(
            rows,
            name=raw.name,
            write_disposition="merge",
            primary_key=raw.key,
            columns=raw.dlt_columns(),
        )


def load(config: EcouteConfig) -> dict[str, int]:
    """Load the store into `raw` (parquet, like every source), then drop the incremental marts
    if the last dbt build has not applied every loaded correction; rows read per table."""
    from core.loading import LOADER_FILE_FORMAT, make_pipeline

    counts = {table: len(corrections.rows(config, table)) for table in TABLES}
    source: DltSource = corrections_source(config)
    make_pipeline(config, "corrections").run(source, loader_file_format=LOADER_FILE_FORMAT)
    for table in corrections.drop_marts_missing_corrections(config):
        log.info("corrections: dropped %s (rebuilt whole by the next dbt build)", table)
    return counts
