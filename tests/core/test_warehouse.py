"""One setting picks the engine for dlt, dbt and the app; the serving copy is swapped atomically."""

from __future__ import annotations

import duckdb
import pytest

from core import warehouse
from core.config import parse_config


def config(tmp_path, **warehouse_section):
    data = {"project": {"name": "t"}, "brands": [{"name": "A"}], "warehouse": warehouse_section}
    return parse_config(data, base_dir=tmp_path)


def test_duckdb_is_the_default_for_every_consumer(tmp_path):
    cfg = config(tmp_path, path="w/warehouse.duckdb")
    assert warehouse.engine(cfg) == "duckdb"
    assert warehouse.dlt_destination(cfg).destination_name == "duckdb"
    assert warehouse.dbt_vars(cfg) == {
        "ecoute_engine": "duckdb",
        "ecoute_duckdb_path": str(tmp_path.resolve() / "w" / "warehouse.duckdb"),
    }


def test_postgres_is_one_setting_away(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", "postgresql://lis%40ten@db.internal:6543/ecoute")
    monkeypatch.setenv("ECOUTE_POSTGRES_PASSWORD", "s3c/ret")
    cfg = config(tmp_path, engine="postgres")
    assert warehouse.dlt_destination(cfg).destination_name == "postgres"
    assert warehouse.postgres_dsn(cfg) == "postgresql://lis%40ten:s3c%2Fret@db.internal:6543/ecoute"
    values = warehouse.dbt_vars(cfg)
    assert values["ecoute_engine"] == "postgres"
    assert (values["ecoute_postgres_host"], values["ecoute_postgres_port"]) == (
        "db.internal",
        "6543",
    )
    assert (values["ecoute_postgres_user"], values["ecoute_postgres_dbname"]) == (
        "lis@ten",
        "ecoute",
    )
    assert values["ecoute_postgres_password_env"] == "ECOUTE_POSTGRES_PASSWORD"
    assert "s3c/ret" not in repr(values)  # dbt logs its command line: no secret in --vars


def test_a_password_in_the_dsn_is_refused_for_dbt(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", "postgresql://u:secret@db.internal/ecoute")
    cfg = config(tmp_path, engine="postgres")
    with pytest.raises(RuntimeError, match="ECOUTE_POSTGRES_PASSWORD"):
        warehouse.dbt_vars(cfg)


def test_serving_copy_holds_only_the_marts_and_replaces_the_old_one(tmp_path):
    cfg = config(tmp_path, path="build.duckdb", serving_path="serving.duckdb")
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("create schema marts; create schema raw")
    con.execute("create table marts.m as select 1 as x; create table raw.r as select 2 as y")
    con.close()
    first = warehouse.publish_serving(cfg)
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("insert into marts.m values (3)")
    con.close()
    assert warehouse.publish_serving(cfg) == first
    served = duckdb.connect(str(first), read_only=True)
    assert served.execute("select sum(x) from marts.m").fetchone()[0] == 4
    schemas = {
        r[0]
        for r in served.execute("select schema_name from information_schema.schemata").fetchall()
    }
    assert "raw" not in schemas
    served.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_serving_copy_keeps_the_comments_and_only_the_marts_schema(tmp_path):
    cfg = config(tmp_path, path="build.duckdb", serving_path="serving.duckdb")
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("create schema marts; create schema raw_staging; create schema dbt_test_failures")
    con.execute("create table marts.m as select 1 as x, 2 as y")
    con.execute("comment on table marts.m is 'One row per thing.'")
    con.execute("comment on column marts.m.x is 'The author''s \"x\".'")
    con.execute("create table raw_staging.r as select 1 as z")
    con.execute("create table dbt_test_failures.unique_m_x as select 1 as unique_field")
    con.close()
    served = duckdb.connect(str(warehouse.publish_serving(cfg)), read_only=True)
    try:
        assert served.execute(
            "select comment from duckdb_tables() where table_name = 'm'"
        ).fetchall() == [("One row per thing.",)]
        assert served.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'm' "
            "order by column_index"
        ).fetchall() == [("x", 'The author\'s "x".'), ("y", None)]
        schemas = served.execute(
            "select distinct schema_name from duckdb_tables() union "
            "select schema_name from duckdb_schemas() where not internal"
        ).fetchall()
        assert schemas == [("marts",)]
    finally:
        served.close()
