"""After a build only the dbt test-failure tables holding rows remain; the summary names them."""

from __future__ import annotations

import duckdb

from core import warehouse
from core.config import parse_config
from orchestration.run import TEST_FAILURES_SCHEMA, stored_test_failures


def test_empty_failure_tables_are_dropped_and_failing_ones_named(tmp_path):
    config = parse_config(
        {"project": {"name": "t"}, "brands": [{"name": "A"}], "warehouse": {"path": "w.duckdb"}},
        base_dir=tmp_path,
    )
    con = duckdb.connect(str(warehouse.duckdb_path(config)))
    con.execute(f"create schema {TEST_FAILURES_SCHEMA}")
    con.execute(f"create table {TEST_FAILURES_SCHEMA}.unique_a as select 1 as x where false")
    con.execute(f"create table {TEST_FAILURES_SCHEMA}.not_null_b as select 1 as x where false")
    con.execute(f"create table {TEST_FAILURES_SCHEMA}.accepted_c as select * from range(3) t(x)")
    con.close()

    assert stored_test_failures(config) == {"accepted_c": 3}
    with warehouse.connect(config, read_only=True) as con:
        left = con.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [TEST_FAILURES_SCHEMA],
        ).fetchall()
    assert left == [("accepted_c",)]
