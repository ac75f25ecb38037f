"""The one place that knows which engine holds the warehouse, for dlt, dbt and the app.

`warehouse.engine` in the config picks DuckDB (default, embedded) or Postgres (the bundled
`ecoute.yml` reads it from `ECOUTE_ENGINE`).
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

    from core.config import EcouteConfig

SERVING_SCHEMAS = ("marts",)


def engine(config: EcouteConfig) -> str:
    return config.warehouse.engine


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
    """The Postgres DSN, with the password from `postgres_password_env` when that is set."""
    from urllib.parse import quote, urlsplit, urlunsplit

    name = config.warehouse.postgres_dsn_env
    dsn = os.environ.get(name)
    if not dsn:
        raise RuntimeError(f"warehouse.engine is postgres but {name} is not set")
    password = os.environ.get(config.warehouse.postgres_password_env)
    parts = urlsplit(dsn)
    if password and parts.password is None and parts.hostname:
        user = parts.username or ""
        netloc = f"{user}:{quote(password, safe='')}@{parts.hostname}"
        netloc += f":{parts.port}" if parts.port else ""
        dsn = urlunsplit(parts._replace(netloc=netloc))
    return dsn


def dlt_destination(config: EcouteConfig) -> Any:
    """The dlt destination for this warehouse."""
    import dlt

    if engine(config) == "postgres":
        return dlt.destinations.postgres(credentials=postgres_dsn(config))
    return dlt.destinations.duckdb(str(duckdb_path(config)))


def dbt_vars(config: EcouteConfig) -> dict[str, str]:
    """The `--vars` that `dbt_project/profiles.yml` reads: target, DuckDB file, Postgres host.

    No secret travels here (dbt logs its command line): the profile reads the Postgres password
    from the environment variable named by `ecoute_postgres_password_env`.
    """
    values = {"ecoute_engine": engine(config), "ecoute_duckdb_path": str(duckdb_path(config))}
    if values["ecoute_engine"] == "postgres":
        from urllib.parse import unquote, urlsplit

        name = config.warehouse.postgres_dsn_env
        dsn = urlsplit(os.environ.get(name) or "")
        if not dsn.hostname:
            raise RuntimeError(f"warehouse.engine is postgres but {name} holds no host")
        if dsn.password is not None:
            raise RuntimeError(
                f"{name} carries a password: put it in "
                f"{config.warehouse.postgres_password_env} instead (dbt reads it from there)"
            )
        values |= {
            "ecoute_postgres_host": dsn.hostname,
            "ecoute_postgres_port": str(dsn.port or 5432),
            "ecoute_postgres_user": unquote(dsn.username or ""),
            "ecoute_postgres_dbname": dsn.path.lstrip("/") or "postgres",
            "ecoute_postgres_password_env": config.warehouse.postgres_password_env,
        }
    return values


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
