"""Every dbt model as an asset and every dbt test as an asset check, in two dbt steps.

`dbt_before_enrichment` builds what the Python enrichment reads (staging of the raw, privacy and
corrections sources, `int_mentions` and every other model that does not read `enrichment.*`);
`dbt_after_enrichment` builds the rest (the enrichment staging, and the marts). A build therefore
runs two `dbt build` commands, and none when nothing they read changed since their last success
(`lib/dbt_inputs.py`). The second step is partitioned by day: a partition (or a range, in one
run) passes `window_start` / `window_end` to dbt, and the incremental marts rewrite that window's
rows as well as what was re-enriched; an unpartitioned run (`ecoute run`) builds as before. Where
day partitions run side by side (Postgres, `lib/concurrency.py`), a partition's run rewrites only
the day-scoped incremental models and leaves the whole-table marts to the next whole build.
"""

import json
import os
import shutil
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from core.config import EcouteConfig
from orchestration.lib import dbt_inputs, publishing
from orchestration.lib.concurrency import (
    backfill_policy,
    dbt_build_lock,
    partition_pool,
    side_by_side,
)
from orchestration.lib.dbt import (
    day_scoped_keys,
    dbt_vars_args,
    invocation_target,
    model_names,
    with_row_counts,
)
from orchestration.lib.partitions import daily_partitions, window_vars
from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.translators import LayeredDbtTranslator

# The dbt selection after the Python step: everything that reads `enrichment.*`, directly or not.
AFTER_ENRICHMENT = "source:enrichment+"
# What each step's result depends on, besides the project, vars and config file.
BEFORE_INPUTS = ("raw", "privacy")
AFTER_INPUTS = ("raw", "privacy", "enrichment")
UNIT_TESTS_LEFT_OUT = ("--exclude-resource-type", "unit_test")


def dbt_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    config: EcouteConfig,
    dbt_project: DbtProject,
    step: str,
    inputs: tuple[str, ...],
) -> Iterator[Any]:
    """One `dbt build` of the step's selection, or none when its inputs are those of its last
    successful build (every asset of the step is then reported up to date, not rebuilt)."""
    window = window_vars(context)
    state_file = dbt_project.target_path / f"{step}.last_build.json"
    # A day partition's run beside others (the unpartitioned step of such a run builds as usual).
    partitioned = context.assets_def.partitions_def is not None
    day_only = window is not None and partitioned and side_by_side(config)
    whole = window is None and context.selected_asset_keys == context.assets_def.keys
    built = dbt_inputs.last_built(state_file)
    current = dbt_inputs.fingerprint(config, inputs, built) if whole else None
    if current is not None and dbt_inputs.unchanged(current, built):
        context.log.info(f"{step}: nothing dbt reads changed since its last build; dbt not run")
        for key in _in_build_order(context):
            yield dg.MaterializeResult(
                asset_key=key, metadata={"dbt": "up to date: inputs unchanged, not rebuilt"}
            )
        return
    if window:
        context.log.info(f"{step}: window {window['window_start']} to {window['window_end']}")
    flags = _code_flags(context, step, current, built)
    if day_only:
        if not context.selected_asset_keys & day_scoped_keys(dbt_project):
            context.log.info(f"{step}: no day-scoped model selected; dbt not run")
            return
        context.log.info(f"{step}: day-scoped models only; the next whole build does the rest")
        # Beside other days' runs: no view or whole table replaced, no unit tests (code checks).
        flags = [*_exclude(_beyond_the_day(context, dbt_project)), *UNIT_TESTS_LEFT_OUT]
        forget_inputs(state_file)
    target = invocation_target(dbt_project, step)
    publishing.begin_generation(dbt_project.target_path)  # the marts may change from here on
    with dbt_build_lock(config, shared=day_only):
        invocation = dbt.cli(
            ["build", *dbt_vars_args(config, window), *flags],
            context=context,
            target_path=target,
        )
        yield from with_row_counts(config, invocation.manifest, invocation.stream())
    # Each invocation writes its own ~10 MB target folder; a successful one keeps only its
    # per-node timings (a failing one raises above and keeps its folder, logs and run results).
    keep_timings(target / "run_results.json", dbt_project.target_path / f"{step}.timings.json")
    shutil.rmtree(target, ignore_errors=True)
    if current is not None:
        dbt_inputs.save(state_file, current)


def _code_flags(
    context: dg.AssetExecutionContext, step: str, current: dict | None, built: dict
) -> list[str]:
    """Incremental tables hold rows written by the project, vars and config of their last build:
    after a change of any of those (or with no record of it) a whole build rebuilds them in full.
    With the same code, dbt's unit tests (they test the models' code on fixed rows, not the
    data) passed at that build and are left out."""
    if current is None:
        return []
    if dbt_inputs.same_code(current, built):
        return list(UNIT_TESTS_LEFT_OUT)
    context.log.info(f"{step}: project, vars or config changed since its last build: full refresh")
    return ["--full-refresh"]


def _beyond_the_day(context: dg.AssetExecutionContext, dbt_project: DbtProject) -> list[str]:
    """The selected models that are not day-scoped (views, whole tables, months and weeks): a
    partition's run built beside others must not replace them (another run may read or write
    them at the same time)."""
    names = model_names(dbt_project)
    day = day_scoped_keys(dbt_project)
    return sorted(names[key] for key in context.selected_asset_keys - day if key in names)


def _exclude(names: list[str]) -> list[str]:
    return ["--exclude", *names] if names else []


def forget_inputs(state_file: Path) -> None:
    """Make the next whole build of a step run dbt: a day partition's run rewrote rows that the
    step's whole-table marts read, and nothing it reads changed. The code fingerprint is kept,
    so that build stays incremental (no full refresh). Concurrent runs each write a file of
    their own, renamed in: the record is never half written."""
    built = dbt_inputs.last_built(state_file)
    if not built:
        return
    scratch = state_file.with_name(f"{state_file.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps({**built, "rewritten": "day partitions"}, sort_keys=True))
    scratch.replace(state_file)


def keep_timings(run_results: Path, path: Path) -> None:
    """Save a dbt invocation's elapsed time and each node's seconds, slowest first (what a slow
    build spent its time on, after its target folder is gone)."""
    try:
        results = json.loads(run_results.read_text())
    except (OSError, ValueError):
        return
    nodes = sorted(
        ((r["unique_id"], r["status"], round(r["execution_time"], 3)) for r in results["results"]),
        key=lambda node: -node[2],
    )
    path.write_text(json.dumps({"elapsed": results.get("elapsed_time"), "nodes": nodes}, indent=0))


def _in_build_order(context: dg.AssetExecutionContext) -> list[dg.AssetKey]:
    """The selected assets upstream first (Dagster wants a multi-asset's outputs in that order)."""
    selected = context.selected_asset_keys
    deps = context.assets_def.asset_deps
    order = TopologicalSorter({key: deps.get(key, set()) & selected for key in selected})
    return list(order.static_order())


def defs(
    dbt_project: DbtProject, config: EcouteConfig, hidden: frozenset[dg.AssetKey]
) -> dg.Definitions:
    """`hidden`: raw tables of sources the config does not enable (shown upstream of no model)."""
    translator = LayeredDbtTranslator(hidden)

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        exclude=AFTER_ENRICHMENT,
        name="dbt_before_enrichment",
        dagster_dbt_translator=translator,
        pool=WAREHOUSE_POOL,
    )
    def dbt_before_enrichment(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, project: EcouteProject
    ):
        yield from dbt_build(
            context, dbt, project.config, dbt_project, "before_enrichment", BEFORE_INPUTS
        )

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        select=AFTER_ENRICHMENT,
        name="dbt_after_enrichment",
        dagster_dbt_translator=translator,
        partitions_def=daily_partitions(config),
        backfill_policy=backfill_policy(config),
        pool=partition_pool(config),
    )
    def dbt_after_enrichment(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, project: EcouteProject
    ):
        yield from dbt_build(
            context, dbt, project.config, dbt_project, "after_enrichment", AFTER_INPUTS
        )

    return dg.Definitions(assets=[dbt_before_enrichment, dbt_after_enrichment])
