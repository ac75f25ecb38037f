"""Publish the marts to the serving file the app reads, once every mart is built."""

import dagster as dg

from ecoute import warehouse
from orchestration.lib.dbt import dbt_project, mart_keys
from orchestration.lib.settings import WAREHOUSE_POOL, current_config


@dg.definitions
def defs() -> dg.Definitions:
    marts = mart_keys(dbt_project(current_config()))

    @dg.asset(
        key=["serving", "marts"],
        deps=marts,
        group_name="serving",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description="A read-only copy of the marts for the Streamlit page, swapped in atomically.",
    )
    def serving_marts() -> dg.MaterializeResult:
        path = warehouse.publish_serving(current_config())
        return dg.MaterializeResult(metadata={"path": str(path) if path else "postgres: marts"})

    return dg.Definitions(assets=[serving_marts])
