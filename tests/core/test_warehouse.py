"""One setting picks the engine for dlt, dbt and the app; the serving copy is swapped atomically."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from core import publish, warehouse
from core.config import ConfigError, parse_config

REPO = Path(__file__).resolve().parents[2]


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


def limited(tmp_path, **section):
    """A DuckDB warehouse bounded to 300 MB (286.1 MiB as DuckDB prints it) and one thread."""
    return config(tmp_path, path="w.duckdb", memory_limit="300MB", threads=1, **section)


LIMITS = "select current_setting('memory_limit') as memory, current_setting('threads') as threads"


def limits(con, sql: str = LIMITS) -> tuple[int, int]:
    """The memory limit in MB (10^6 bytes, from DuckDB's "286.1 MiB") and threads `sql` reads."""
    printed, threads = con.execute(sql).fetchone()
    number, unit = printed.split()
    power = ["KiB", "MiB", "GiB", "TiB"].index(unit) + 1
    return round(float(number) * 1024**power / 10**6), int(threads)


@pytest.mark.parametrize("read_only", [False, True])
def test_connect_bounds_duckdb_s_memory_and_threads(tmp_path, read_only):
    cfg = limited(tmp_path)
    duckdb.connect(str(warehouse.duckdb_path(cfg))).close()
    with warehouse.connect(cfg, read_only=read_only) as con:
        assert limits(con) == (300, 1)


def test_unset_limits_leave_duckdb_s_defaults(tmp_path):
    with warehouse.connect(config(tmp_path, path="w.duckdb")) as con:
        assert limits(con) == limits(duckdb.connect(":memory:"))
    assert warehouse.duckdb_settings(config(tmp_path)) == {}


def test_dbt_vars_carry_the_limits_to_the_duckdb_profile_only(tmp_path, monkeypatch):
    values = warehouse.dbt_vars(limited(tmp_path))
    assert values["ecoute_duckdb_settings"] == {"memory_limit": "300MB", "threads": 1}
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", "postgresql://u@db.internal/ecoute")
    postgres = warehouse.dbt_vars(config(tmp_path, engine="postgres", memory_limit="300MB"))
    assert "ecoute_duckdb_settings" not in postgres
    profiles = yaml.safe_load((REPO / "dbt_project" / "profiles.yml").read_text(encoding="utf-8"))
    assert "ecoute_duckdb_settings" in profiles["ecoute"]["outputs"]["duckdb"]["settings"]


@pytest.mark.slow
def test_a_dlt_load_runs_under_the_limits(tmp_path):
    """dlt opens its own connections (`global_config`); its SQL client borrows one as the load
    step does, from the same destination."""
    from core.loading import make_pipeline

    pipeline = make_pipeline(limited(tmp_path), "limits_test")
    pipeline.run([{"id": 1, "v": "a"}], table_name="items")
    with pipeline.sql_client() as client:
        assert limits(client.native_connection) == (300, 1)
        assert client.execute_sql("select count(*) from raw.items") == [(1,)]


def test_serving_copy_holds_only_the_marts_and_replaces_the_old_one(tmp_path):
    cfg = config(tmp_path, path="build.duckdb", serving_path="serving.duckdb")
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("create schema marts; create schema raw")
    con.execute("create table marts.m as select 1 as x; create table raw.r as select 2 as y")
    con.close()
    first = publish.publish_serving(cfg)
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("insert into marts.m values (3)")
    con.close()
    assert publish.publish_serving(cfg) == first
    served = duckdb.connect(str(first), read_only=True)
    assert served.execute("select sum(x) from marts.m").fetchall() == [(4,)]
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
    served = duckdb.connect(str(publish.publish_serving(cfg)), read_only=True)
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


def test_the_publish_copies_under_the_limits(tmp_path):
    """A mart that is a view reads its settings in the publishing connection, which copies it."""
    cfg = limited(tmp_path, serving_path="serving.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute(f"create view marts.limits as {LIMITS}")
    con.close()
    served = duckdb.connect(str(publish.publish_serving(cfg)), read_only=True)
    try:
        assert limits(served, "select * from marts.limits") == (300, 1)
    finally:
        served.close()


def test_motherduck_maps_to_its_dlt_destination_and_the_duckdb_adapter(tmp_path, monkeypatch):
    """No network: the mapping only (dlt destination, dbt target, state folder)."""
    monkeypatch.setenv("MOTHERDUCK_TOKEN", "md-canary-token")
    cfg = config(tmp_path, engine="motherduck", path="md:ecoute_prod")
    destination = warehouse.dlt_destination(cfg)
    assert destination.destination_name == "motherduck"
    credentials = destination.config_params["credentials"]
    assert (credentials.database, credentials.password) == ("ecoute_prod", "md-canary-token")
    values = warehouse.dbt_vars(cfg)
    assert values == {"ecoute_engine": "motherduck", "ecoute_motherduck_path": "md:ecoute_prod"}
    profiles = yaml.safe_load((REPO / "dbt_project" / "profiles.yml").read_text(encoding="utf-8"))
    target = profiles["ecoute"]["outputs"]["motherduck"]
    assert target["type"] == "duckdb" and "ecoute_motherduck_path" in target["path"]
    assert target["settings"]["TimeZone"] == "UTC"
    assert "token" not in repr(target).lower().replace("motherduck_token", "")
    assert warehouse.state_dir(cfg).parts[-2:] == ("motherduck", "ecoute_prod")
    with pytest.raises(RuntimeError, match="not wired to it yet"):
        warehouse.postgres_dsn(cfg)  # where a step would take the Postgres path


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"engine": "motherduck"}, "needs path: md:<database>"),
        ({"engine": "motherduck", "path": "md:ecoute?motherduck_token=x"}, "MOTHERDUCK_TOKEN"),
        ({"engine": "motherduck", "path": "md:"}, "needs path: md:<database>"),
        ({"path": "md:ecoute"}, "set engine: motherduck"),
    ],
)
def test_motherduck_paths_are_checked(tmp_path, section, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        config(tmp_path, **section)
