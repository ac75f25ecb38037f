"""The one place that knows which engine holds the warehouse, for dlt, dbt and the app.

`warehouse.engine` in the config (or `ECOUTE_ENGINE`) picks DuckDB (default, embedded) or Postgres.
The pipeline writes the *build* database; after a successful build the marts are published to a
separate *serving* file (DuckDB) that the app opens read-only, so the page keeps working while a
build runs. On Postgres the app reads the marts schema directly (MVCC gives the same isolation).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    import duckdb

    from ecoute.config import EcouteConfig

SERVING_SCHEMAS = ("marts",)


def engine(config: EcouteConfig) -> str:
    return os.environ.get("ECOUTE_ENGINE", config.warehouse.engine)


def duckdb_path(config: EcouteConfig) -> Path:
    """The build database file (created with its folder on first use)."""
    path = config.resolve(config.warehouse.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def serving_path(config: EcouteConfig) -> Path:
    path = config.resolve(config.warehouse.serving_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def postgres_dsn(config: EcouteConfig) -> str:
    name = config.warehouse.postgres_dsn_env
    dsn = os.environ.get(name)
    if not dsn:
        raise RuntimeError(f"warehouse.engine is postgres but {name} is not set")
    return dsn


def dlt_destination(config: EcouteConfig) -> Any:
    """The dlt destination for this warehouse."""
    import dlt

    if engine(config) == "postgres":
        return dlt.destinations.postgres(credentials=postgres_dsn(config))
    return dlt.destinations.duckdb(str(duckdb_path(config)))


def dbt_env(config: EcouteConfig) -> dict[str, str]:
    """Environment variables read by `dbt_project/profiles.yml` (the Postgres DSN split up)."""
    env = {"ECOUTE_ENGINE": engine(config), "ECOUTE_DUCKDB_PATH": str(duckdb_path(config))}
    if env["ECOUTE_ENGINE"] == "postgres":
        from urllib.parse import unquote, urlsplit

        dsn = urlsplit(postgres_dsn(config))
        env |= {
            "ECOUTE_POSTGRES_HOST": dsn.hostname or "localhost",
            "ECOUTE_POSTGRES_PORT": str(dsn.port or 5432),
            "ECOUTE_POSTGRES_USER": unquote(dsn.username or ""),
            "ECOUTE_POSTGRES_PASSWORD": unquote(dsn.password or ""),
            "ECOUTE_POSTGRES_DBNAME": dsn.path.lstrip("/") or "postgres",
        }
    return env


@contextmanager
def connect(config: EcouteConfig, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the build database (DuckDB engine)."""
    import duckdb

    con = duckdb.connect(str(duckdb_path(config)), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def publish_serving(config: EcouteConfig) -> Path | None:
    """Copy the marts into a fresh serving file and swap it in atomically.

    Returns the serving path (None on Postgres, where the app reads the warehouse directly).
    """
    if engine(config) != "duckdb":
        return None
    import duckdb

    target = serving_path(config)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    source = duckdb_path(config).as_posix().replace("'", "''")
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"attach '{source}' as build (read_only)")
        for schema in SERVING_SCHEMAS:
            tables = con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'build' and table_schema = ?",
                [schema],
            ).fetchall()
            con.execute(f'create schema if not exists "{schema}"')
            for (table,) in tables:
                con.execute(
                    f'create table "{schema}"."{table}" as select * from build."{schema}"."{table}"'
                )
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(staging, target)
    return target
