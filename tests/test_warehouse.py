"""One setting picks the engine for dlt, dbt and the app; the serving copy is swapped atomically."""

from __future__ import annotations

import duckdb

from ecoute import warehouse
from ecoute.config import parse_config


def config(tmp_path, **warehouse_section):
    data = {"project": {"name": "t"}, "brands": [{"name": "A"}], "warehouse": warehouse_section}
    return parse_config(data, base_dir=tmp_path)


def test_duckdb_is_the_default_for_every_consumer(tmp_path, monkeypatch):
    monkeypatch.delenv("ECOUTE_ENGINE", raising=False)
    cfg = config(tmp_path, path="w/warehouse.duckdb")
    assert warehouse.engine(cfg) == "duckdb"
    assert warehouse.dlt_destination(cfg).destination_name == "duckdb"
    env = warehouse.dbt_env(cfg)
    assert env == {
        "ECOUTE_ENGINE": "duckdb",
        "ECOUTE_DUCKDB_PATH": str(tmp_path.resolve() / "w" / "warehouse.duckdb"),
    }


def test_postgres_is_one_setting_away(tmp_path, monkeypatch):
    monkeypatch.delenv("ECOUTE_ENGINE", raising=False)  # a build in this process may have set it
    monkeypatch.setenv(
        "ECOUTE_POSTGRES_DSN", "postgresql://lis%40ten:s3cret@db.internal:6543/ecoute"
    )
    cfg = config(tmp_path, engine="postgres")
    assert warehouse.dlt_destination(cfg).destination_name == "postgres"
    env = warehouse.dbt_env(cfg)
    assert env["ECOUTE_ENGINE"] == "postgres"
    assert (env["ECOUTE_POSTGRES_HOST"], env["ECOUTE_POSTGRES_PORT"]) == ("db.internal", "6543")
    assert (env["ECOUTE_POSTGRES_USER"], env["ECOUTE_POSTGRES_DBNAME"]) == ("lis@ten", "ecoute")
    assert warehouse.publish_serving(cfg) is None  # the app reads Postgres directly


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
