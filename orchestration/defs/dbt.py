"""Every dbt model as an asset and every dbt test as an asset check."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.lib.dbt import dbt_project, export_dbt_env
from orchestration.lib.settings import WAREHOUSE_POOL, current_config
from orchestration.lib.translators import LayeredDbtTranslator


@dg.definitions
def defs() -> dg.Definitions:
    project = dbt_project(current_config())

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=LayeredDbtTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        export_dbt_env(current_config())
        yield from dbt.cli(["build"], context=context).stream()

    return dg.Definitions(assets=[dbt_models])
