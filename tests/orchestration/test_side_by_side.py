"""Day partitions side by side: switched on for Postgres only. On DuckDB the day-partitioned dbt
step stays in the one-writer pool with a single-run backfill; on Postgres it takes a pool of its
own with a limit above one and a backfill is one run per day. (The real runs side by side are in
tests/postgres/test_backfill_side_by_side.py.)"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml

from tests.conftest import write_demo_config

DAY_SCOPED = {
    dg.AssetKey(["marts", "fct_mentions"]),
    dg.AssetKey(["marts", "fct_brand_mentions"]),
    dg.AssetKey(["marts", "mart_brand_sentiment_daily"]),
}


def _config(folder: Path, engine: str):
    from core.config import load_config

    path = write_demo_config(folder, port=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["warehouse"]["engine"] = engine
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def postgres_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Never connected to: definitions and instance settings only.
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", "postgresql://ecoute@127.0.0.1:1/ecoute")
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return _config(tmp_path, "postgres")


def _step(definitions: dg.Definitions, key: dg.AssetKey) -> dg.AssetsDefinition:
    return definitions.resolve_asset_graph().get(key).assets_def


def _pool_limit(instance: dg.DagsterInstance, pool: str) -> int | None:
    limits = {limit.name: limit for limit in instance.event_log_storage.get_pool_limits()}
    return limits[pool].limit if pool in limits else None


def test_on_duckdb_one_writer_and_one_run_per_backfill(tmp_path, monkeypatch) -> None:
    from orchestration.definitions import build_definitions
    from orchestration.lib.concurrency import set_pool_limits
    from orchestration.lib.settings import PARTITION_POOL, WAREHOUSE_POOL
    from orchestration.run import dagster_home

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    config = _config(tmp_path, "duckdb")
    definitions = build_definitions(config)
    marts = _step(definitions, dg.AssetKey(["marts", "fct_mentions"]))
    assert marts.op.pool == WAREHOUSE_POOL
    assert marts.backfill_policy == dg.BackfillPolicy.single_run()
    with dg.DagsterInstance.from_config(str(dagster_home(config))) as instance:
        set_pool_limits(instance, config)
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        assert _pool_limit(instance, PARTITION_POOL) is None, "no pool of several writers"


def test_on_postgres_days_run_side_by_side(postgres_config) -> None:
    from orchestration.definitions import build_definitions
    from orchestration.lib.concurrency import set_pool_limits
    from orchestration.lib.dbt import day_scoped_keys, dbt_project
    from orchestration.lib.settings import PARTITION_POOL, PARTITION_WRITERS, WAREHOUSE_POOL
    from orchestration.run import dagster_home

    definitions = build_definitions(postgres_config)
    marts = _step(definitions, dg.AssetKey(["marts", "fct_mentions"]))
    assert marts.op.pool == PARTITION_POOL
    assert marts.backfill_policy == dg.BackfillPolicy.multi_run(1)
    # Every other writer stays one at a time (dlt pipelines, enrichment, the first dbt step).
    staging = _step(definitions, dg.AssetKey(["intermediate", "int_mentions"]))
    assert staging.op.pool == WAREHOUSE_POOL and staging.partitions_def is None
    assert day_scoped_keys(dbt_project(postgres_config)) == DAY_SCOPED
    assert PARTITION_WRITERS > 1
    with dg.DagsterInstance.from_config(str(dagster_home(postgres_config))) as instance:
        set_pool_limits(instance, postgres_config)
        assert _pool_limit(instance, PARTITION_POOL) == PARTITION_WRITERS
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_a_days_run_marks_the_next_whole_build_to_run_dbt_incrementally(tmp_path) -> None:
    from orchestration.defs.dbt import forget_inputs
    from orchestration.lib import dbt_inputs

    state = tmp_path / "after_enrichment.last_build.json"
    forget_inputs(state)  # no build yet: nothing to forget
    assert not state.exists()
    built = {"project": "p", "vars": {"v": 1}, "config": "c", "tables": {"raw.t": [1, "l", "d"]}}
    dbt_inputs.save(state, built)
    forget_inputs(state)
    after = dbt_inputs.last_built(state)
    assert not dbt_inputs.unchanged(built, after), "the next whole build runs dbt"
    assert dbt_inputs.same_code(built, after), "without a full refresh"
    assert [p.name for p in tmp_path.iterdir()] == [state.name]
