"""Publish the marts to the serving file the app reads, once every mart is built."""

import dagster as dg
from dagster_dbt import DbtProject

from core import warehouse
from orchestration.lib.dbt import mart_keys
from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL


def defs(dbt_project: DbtProject) -> dg.Definitions:
    marts = mart_keys(dbt_project)

    @dg.asset(
        key=["serving", "marts"],
        deps=marts,
        group_name="serving",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description="A read-only copy of the marts for the Streamlit page, swapped in atomically.",
    )
    def serving_marts(project: EcouteProject) -> dg.MaterializeResult:
        path = warehouse.publish_serving(project.config)
        return dg.MaterializeResult(metadata={"path": str(path) if path else "postgres: marts"})

    return dg.Definitions(assets=[serving_marts])
