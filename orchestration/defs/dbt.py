"""Every dbt model as an asset and every dbt test as an asset check."""

import shutil

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.lib.dbt import dbt_vars_args
from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.translators import LayeredDbtTranslator


def defs(dbt_project: DbtProject) -> dg.Definitions:
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=LayeredDbtTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, project: EcouteProject):
        args = ["build", *dbt_vars_args(project.config)]
        invocation = dbt.cli(args, context=context)
        yield from invocation.stream()
        # Each invocation writes its own ~10 MB target folder; a successful one has nothing left
        # to inspect (a failing one raises above and keeps its folder, logs and run results).
        shutil.rmtree(invocation.target_path, ignore_errors=True)

    return dg.Definitions(assets=[dbt_models])
