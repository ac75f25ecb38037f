"""Publish the marts to the serving copy the app reads, once every mart is built (and only
when they may have changed since the last publish: `lib/publishing.py`)."""

import dagster as dg
from dagster_dbt import DbtProject

from core import warehouse
from orchestration.lib import publishing
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
        description=(
            "A read-only copy of the marts for the Streamlit page, swapped in atomically; a build"
            " that changed no mart only stamps the copy as current."
        ),
    )
    def serving_marts(project: EcouteProject) -> dg.MaterializeResult:
        config = project.config
        copied = publishing.publish(config, dbt_project.target_path)
        where = "postgres: marts"
        if warehouse.engine(config) == "duckdb":
            where = str(warehouse.serving_path(config))
        return dg.MaterializeResult(metadata={"path": where, "copied": copied})

    return dg.Definitions(assets=[serving_marts])
