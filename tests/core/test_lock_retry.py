"""A writer waits out another process's lock on the DuckDB file, then names the holder."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import duckdb
import pytest

from core import warehouse
from core.config import parse_config

pytestmark = pytest.mark.slow

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold(path, seconds: float) -> subprocess.Popen[str]:
    """A real second process holding `path` read-only (DuckDB locks per process)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def cfg(tmp_path):
    config = parse_config(
        {"project": {"name": "t"}, "brands": [{"name": "A"}], "warehouse": {"path": "w.duckdb"}},
        base_dir=tmp_path,
    )
    duckdb.connect(str(warehouse.duckdb_path(config))).close()
    return config


def test_connect_succeeds_once_the_holder_exits(cfg):
    proc = hold(warehouse.duckdb_path(cfg), 1.0)
    start = time.monotonic()
    try:
        with warehouse.connect(cfg, wait=10) as con:
            assert con.execute("select 1").fetchone() == (1,)
    finally:
        proc.wait(timeout=10)
    assert 0.5 < time.monotonic() - start < 10


def test_connect_fails_after_the_bound_naming_the_holder(cfg):
    proc = hold(warehouse.duckdb_path(cfg), 60)
    try:
        start = time.monotonic()
        with (
            pytest.raises(warehouse.WarehouseLockedError) as caught,
            warehouse.connect(cfg, wait=1.0),
        ):
            pass
        assert 1.0 <= time.monotonic() - start < 3
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert caught.value.pid == proc.pid
    assert f"PID {proc.pid}" in str(caught.value)


def test_other_io_errors_are_not_retried(tmp_path):
    start = time.monotonic()
    with pytest.raises(duckdb.IOException):
        warehouse.retry_lock(
            lambda: duckdb.connect(str(tmp_path / "missing" / "x.duckdb")), tmp_path, wait=5
        )
    assert time.monotonic() - start < 1


def load_rows(config, rows: list[dict]) -> object:
    """A real dlt load (merge on `id`) into the warehouse's raw dataset."""
    from core.loading import make_pipeline

    pipeline = make_pipeline(config, "lock_test")
    return pipeline.run(rows, table_name="items", primary_key="id", write_disposition="merge")


def test_a_dlt_load_waits_for_the_holder_and_loads_once(cfg, caplog):
    from ingestion.pipelines import with_lock_retry

    load_rows(cfg, [{"id": 1, "v": "a"}])
    proc = hold(warehouse.duckdb_path(cfg), 1.5)
    try:
        with caplog.at_level(logging.WARNING, logger="core.warehouse"):
            with_lock_retry(cfg, lambda: load_rows(cfg, [{"id": 1, "v": "b"}, {"id": 2, "v": "c"}]))
    finally:
        proc.wait(timeout=10)
    assert f"locked by PID {proc.pid}" in caplog.text  # it met the lock and waited
    with warehouse.connect(cfg, read_only=True) as con:
        rows = con.execute("select id, v from raw.items order by id").fetchall()
    assert rows == [(1, "b"), (2, "c")]


def test_a_dlt_load_gives_up_naming_the_holder(cfg, monkeypatch):
    from ingestion.pipelines import with_lock_retry

    monkeypatch.setattr(warehouse, "LOAD_LOCK_WAIT_SECONDS", 1.0)
    proc = hold(warehouse.duckdb_path(cfg), 60)
    try:
        start = time.monotonic()
        with pytest.raises(warehouse.WarehouseLockedError) as caught:
            with_lock_retry(cfg, lambda: load_rows(cfg, [{"id": 1}]))
        assert 1.0 <= time.monotonic() - start < 5
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert caught.value.pid == proc.pid
    assert f"PID {proc.pid}" in str(caught.value)


def test_a_load_failing_for_another_reason_is_not_retried(cfg):
    from ingestion.pipelines import with_lock_retry

    calls = []

    def failing_load() -> None:
        calls.append(1)
        raise ValueError("bad record")

    with pytest.raises(ValueError):
        with_lock_retry(cfg, failing_load)
    assert calls == [1]
