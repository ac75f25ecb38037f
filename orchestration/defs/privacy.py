"""The privacy step between collection and dbt: erasures, retention, the pseudonym table."""

import json

import dagster as dg
from dagster_dbt import DbtProject

from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL


def _raw_keys(dbt_project: DbtProject) -> list[dg.AssetKey]:
    """Every raw table dbt reads (`raw/<table>`, as the dlt assets are named)."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return sorted(
        (
            dg.AssetKey([node["source_name"], node["name"]])
            for node in manifest["sources"].values()
            if node["source_name"] == "raw"
        ),
        key=lambda key: key.to_user_string(),
    )


def defs(dbt_project: DbtProject) -> dg.Definitions:
    @dg.asset(
        key=["privacy", "author_pseudonyms"],
        deps=_raw_keys(dbt_project),
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
