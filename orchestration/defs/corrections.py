"""People's corrections and coders' answers, loaded from their store into `raw` before dbt."""

from collections.abc import Iterator

import dagster as dg

from core.corrections import CODING_ANSWERS, CORRECTIONS
from core.loading import RAW_DATASET
from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL

TABLES = (CORRECTIONS, CODING_ANSWERS)


def keys() -> list[dg.AssetKey]:
    """The raw tables this step loads."""
    return [dg.AssetKey([RAW_DATASET, table]) for table in TABLES]


def defs() -> dg.Definitions:
    @dg.multi_asset(
        name="corrections_store",
        specs=[
            dg.AssetSpec(
                [RAW_DATASET, table],
                group_name="ingestion",
                kinds={"dlt", "duckdb"},
                description=(
                    f"`{table}` of the append-only corrections store beside the warehouse "
                    "(core/corrections.py), merged on event_id so a re-run adds nothing."
                ),
            )
            for table in TABLES
        ],
        pool=WAREHOUSE_POOL,
    )
    def corrections_store(project: EcouteProject) -> Iterator[dg.MaterializeResult]:
        from ingestion.corrections import load

        counts = load(project.config)
        for table in TABLES:
            yield dg.MaterializeResult(
                asset_key=[RAW_DATASET, table],
                metadata={"dagster/row_count": counts[table]},
            )

    return dg.Definitions(assets=[corrections_store])
