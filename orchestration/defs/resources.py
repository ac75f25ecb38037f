"""Resources shared by every asset: the listening project, dlt, and the dbt CLI."""

import dagster as dg
from dagster_dlt import DagsterDltResource

from core.config import EcouteConfig
from orchestration.lib.dbt import dbt_cli
from orchestration.lib.project import EcouteProject


def defs(config: EcouteConfig) -> dg.Definitions:
    return dg.Definitions(
        resources={
            "project": EcouteProject(config_file=str(config.source_file)),
            "dlt": DagsterDltResource(),
            "dbt": dbt_cli(config),
        }
    )
