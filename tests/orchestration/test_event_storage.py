"""A run inside `event_storage.kept_open` records every event as without it, on an instance like
the build's (SQLite storage, WAL), while Dagster's connections close without checkpointing the
run's shard and commit without a sync each; after the run, connections are as Dagster makes them."""

from __future__ import annotations

import uuid
from pathlib import Path

import dagster as dg
import pytest

from orchestration.lib import event_storage


@dg.asset
def numbers() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset_check(asset=numbers)
def numbers_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


JOB = dg.Definitions(
    assets=[numbers], asset_checks=[numbers_positive], jobs=[dg.define_asset_job("job")]
).resolve_job_def("job")


def _synchronous(storage, shard: str) -> int:
    with storage._connect(shard) as connection:
        return connection.exec_driver_sql("pragma synchronous").scalar()


def _event_types(instance, run_id: str) -> list[str]:
    return sorted(
        entry.dagster_event_type.value
        for entry in instance.all_logs(run_id)
        if entry.is_dagster_event
    )


@pytest.fixture
def instance(tmp_path: Path):
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        yield instance


def test_run_events_are_all_stored(instance) -> None:
    storage = instance.event_log_storage
    run_id = str(uuid.uuid4())
    shard = Path(storage.path_for_shard(run_id))
    seen: dict[str, object] = {}
    with event_storage.kept_open(instance, run_id):
        result = JOB.execute_in_process(instance=instance, run_id=run_id)
        seen["wal kept"] = Path(f"{shard}-wal").exists()  # Dagster's connections all closed
        seen["synchronous"] = _synchronous(storage, run_id)
    assert result.success
    assert seen == {"wal kept": True, "synchronous": 1}  # NORMAL
    plain = JOB.execute_in_process(instance=instance).run_id  # the same run without it
    assert _event_types(instance, run_id) == _event_types(instance, plain)
    assert "ASSET_CHECK_EVALUATION" in _event_types(instance, run_id)
    materializations = instance.fetch_materializations(dg.AssetKey("numbers"), limit=5).records
    assert {record.run_id for record in materializations} == {run_id, plain}  # in the index
    wrapped = event_storage.execute_in_process(JOB, instance)  # what the builds call
    assert wrapped.success
    assert _event_types(instance, wrapped.run_id) == _event_types(instance, plain)
    # after the run: the last connection closed checkpointed the shard, Dagster's own settings
    assert not Path(f"{shard}-wal").exists()
    assert _synchronous(storage, run_id) == 2  # FULL, SQLite's default


def test_other_sqlite_files_keep_their_settings(instance, tmp_path: Path) -> None:
    import sqlalchemy

    other = sqlalchemy.create_engine(f"sqlite:///{tmp_path.parent / 'elsewhere.db'}")
    with event_storage.kept_open(instance, str(uuid.uuid4())), other.connect() as connection:
        assert connection.exec_driver_sql("pragma synchronous").scalar() == 2
    other.dispose()


def test_nothing_kept_open_on_an_ephemeral_instance() -> None:
    with dg.DagsterInstance.ephemeral() as instance, event_storage.kept_open(instance, "x"):
        assert JOB.execute_in_process(instance=instance).success
