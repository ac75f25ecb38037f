"""Resources shared by every asset."""

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from orchestration.lib.dbt import dbt_executable, dbt_project
from orchestration.lib.settings import current_config


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "dlt": DagsterDltResource(),
            "dbt": DbtCliResource(
                project_dir=dbt_project(current_config()), dbt_executable=dbt_executable()
            ),
        }
    )
