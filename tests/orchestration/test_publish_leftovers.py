"""A publish killed half-way leaves the previous serving copy; its half-written file is removed."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from core import publish, warehouse
from core.config import parse_config


def test_the_next_publish_removes_what_a_killed_one_left_and_spares_a_live_ones(tmp_path):
    config = parse_config(
        {
            "project": {"name": "t"},
            "brands": [{"name": "A"}],
            "warehouse": {"path": "w.duckdb", "serving_path": "serving.duckdb"},
        },
        base_dir=tmp_path,
    )
    con = duckdb.connect(str(warehouse.duckdb_path(config)))
    con.execute("create schema marts; create table marts.m as select 1 as x")
    con.close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    killed = tmp_path / f".serving.duckdb.{int(dead.stdout)}.tmp"
    live = tmp_path / f".serving.duckdb.{os.getppid()}.tmp"  # another writer, still running
    for leftover in (killed, killed.with_name(killed.name + ".wal"), live):
        leftover.write_bytes(b"half a copy")
    spilled = killed.with_name(killed.name + ".tmp")  # DuckDB's spill folder beside the copy
    spilled.mkdir()
    (spilled / f"duckdb_temp_{int(dead.stdout)}_0_owner").write_bytes(b"spilled blocks")

    served = publish.publish_serving(config)

    assert served == tmp_path / "serving.duckdb"
    assert not killed.exists() and not killed.with_name(killed.name + ".wal").exists()
    assert not spilled.exists()
    assert live.exists()
    with duckdb.connect(str(served), read_only=True) as copy:
        assert copy.execute("select x from marts.m").fetchall() == [(1,)]
