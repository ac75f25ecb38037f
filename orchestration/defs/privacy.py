"""The privacy step between collection and dbt: erasures, retention, the pseudonym table."""

import dagster as dg

from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL


def defs(raw_keys: list[dg.AssetKey]) -> dg.Definitions:
    """`raw_keys`: the raw tables dbt reads that this config loads (those the step cleans)."""

    @dg.asset(
        key=["privacy", "author_pseudonyms"],
        deps=raw_keys,
        group_name="privacy",
        kinds={"python", "duckdb"},
        pool=WAREHOUSE_POOL,
        description=(
            "Deletes re-collected posts of forgotten authors and posts older than the retention "
            "from raw, enrichment and built tables, then maps each author to a keyed pseudonym."
        ),
    )
    def author_pseudonyms(
        context: dg.AssetExecutionContext, project: EcouteProject
    ) -> dg.MaterializeResult:
        from core.privacy import prepare

        summary = prepare(project.config)
        deleted = {**summary.forgotten.rows}
        for table, count in summary.retention.rows.items():
            deleted[table] = deleted.get(table, 0) + count
        for table, count in sorted(deleted.items()):
            context.log.info(f"deleted {count} rows from {table}")
        return dg.MaterializeResult(
            metadata={
                "authors": summary.authors,
                "deleted_rows": sum(deleted.values()),
                "deleted_by_table": dg.MetadataValue.json(deleted),
            }
        )

    return dg.Definitions(assets=[author_pseudonyms])
