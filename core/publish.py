"""Publishing the serving copy: the marts of a successful build, copied where the readers read.

On DuckDB the copy is a file (`warehouse.serving_path`) swapped in with a rename; on a server
engine (Postgres) it is the `serving` schema of the same database (`warehouse.PUBLISHED_SCHEMA`),
rebuilt and swapped in one transaction (readers see the previous build or the new one, never half
of it).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core import processes, sql_client, warehouse
from core.warehouse import PUBLISHED_SCHEMA

if TYPE_CHECKING:
    import duckdb

    from core.config import EcouteConfig
    from core.sql_client import Connection

SERVING_SCHEMAS = ("marts",)
"""The only schemas copied to the serving file (not raw, dlt's `*_staging`, dbt_test_failures)."""
PUBLISH_LOCK_TIMEOUT_MS = 2000
"""How long one swap attempt waits for readers of the old copy (new readers queue behind it)."""
PUBLISH_SWAP_SECONDS = 120.0
PUBLISH_RETRY_SLEEP_SECONDS = 0.5
LOCK_NOT_AVAILABLE = "55P03"  # Postgres' SQLSTATE for a lock_timeout

log = logging.getLogger(__name__)


def publish_serving(config: EcouteConfig) -> Path | None:
    """Copy the marts into a fresh serving file and swap it in atomically (the copy runs under
    the warehouse's DuckDB settings: memory limit, threads).

    `create table … as select` drops comments, so the table and column comments that dbt's
    `persist_docs` wrote are copied too. Returns the serving path (None on Postgres, where the
    copy is the `serving` schema: `publish_postgres`).
    """
    if warehouse.engine(config) != "duckdb":
        publish_postgres(config)
        return None
    import duckdb

    target = warehouse.serving_path(config)
    _remove_dead_stagings(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    build = warehouse.duckdb_path(config)
    source = build.as_posix().replace("'", "''")
    con = duckdb.connect(str(staging))
    published = False
    try:
        warehouse.apply_duckdb_settings(con, config)
        warehouse.retry_lock(lambda: con.execute(f"attach '{source}' as build (read_only)"), build)
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
            _copy_comments(con, schema)
        con.execute("detach build")
        con.execute("checkpoint")
        con.close()
        os.replace(staging, target)
        published = True
    finally:
        con.close()
        if not published:  # interrupted or failed: the previous copy stays, the half one goes
            staging.unlink(missing_ok=True)
            staging.with_name(staging.name + ".wal").unlink(missing_ok=True)
    return target


def publish_postgres(config: EcouteConfig) -> datetime:
    """Copy `marts` (tables with their comments) into `serving_next`, then swap it in for
    `serving` in one short transaction; the schema's comment records when (`published_at`).

    The swap needs every reader of the old copy gone: it waits at most
    `PUBLISH_LOCK_TIMEOUT_MS` per attempt (readers queued behind it wait no longer), and tries
    again until `PUBLISH_SWAP_SECONDS` have passed. Returns the publication time."""
    following = _ident(f"{PUBLISHED_SCHEMA}_next")
    with sql_client.connect(config) as con:
        with con.transaction():
            con.execute(f"drop schema if exists {following} cascade")
            con.execute(f"create schema {following}")
            for schema in SERVING_SCHEMAS:
                _copy_postgres_schema(con, schema, following)
            _grant_reader(con, following, warehouse.reader_role(config))
        start = time.monotonic()
        while True:
            now = datetime.now(UTC)
            try:
                with con.transaction():
                    con.execute(f"set local lock_timeout = '{PUBLISH_LOCK_TIMEOUT_MS}ms'")
                    con.execute(f"drop schema if exists {_ident(PUBLISHED_SCHEMA)} cascade")
                    con.execute(f"alter schema {following} rename to {_ident(PUBLISHED_SCHEMA)}")
                    _stamp_published(con, now)
                return now
            except Exception as error:
                if getattr(error, "pgcode", None) != LOCK_NOT_AVAILABLE:
                    raise
                if time.monotonic() - start >= PUBLISH_SWAP_SECONDS:
                    raise
                log.warning("publish: a reader still holds the serving schema; retrying")
                time.sleep(PUBLISH_RETRY_SLEEP_SECONDS)


def _grant_reader(con: Connection, schema: str, role: str | None) -> None:
    """Let the readers' role read `schema` (the copy about to be published) and nothing more;
    a role that does not exist is reported, not created (an administrator's decision)."""
    if role is None:
        return
    if not con.execute("select 1 from pg_roles where rolname = ?", [role]):
        log.warning(
            "publish: reader role %r does not exist; readers with its DSN cannot connect "
            "(create it with LOGIN and no other rights)",
            role,
        )
        return
    con.execute(f"grant usage on schema {schema} to {_ident(role)}")
    con.execute(f"grant select on all tables in schema {schema} to {_ident(role)}")


def _copy_postgres_schema(con: Connection, schema: str, target: str) -> None:
    """Copy every base table of `schema` into `target` with its table and column comments."""
    tables = con.execute(
        "select table_name, obj_description(format('%I.%I', table_schema, table_name)"
        "::regclass, 'pg_class') from information_schema.tables "
        "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
        [schema],
    )
    for table, comment in tables:
        copy, source = f"{target}.{_ident(table)}", f"{_ident(schema)}.{_ident(table)}"
        con.execute(f"create table {copy} (like {source} including comments)")
        con.execute(f"insert into {copy} select * from {source}")
        if comment is not None:
            con.execute(f"comment on table {copy} is {_literal(comment)}")


def published_at(config: EcouteConfig) -> datetime | None:
    """When the serving copy was last published (None before a first publish)."""
    if warehouse.engine(config) == "duckdb":
        path = warehouse.serving_path(config)
        return datetime.fromtimestamp(path.stat().st_mtime, UTC) if path.exists() else None
    with sql_client.connect(config, read_only=True) as con:
        rows = con.execute(
            "select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = ?",
            [PUBLISHED_SCHEMA],
        )
    return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None


def serving_stamp(config: EcouteConfig) -> str | None:
    """What identifies the published copy as it is now (None before a first publish): the
    file's inode, size and modification time on DuckDB, the schema's stamp on Postgres. Anything
    that replaces or touches the copy changes it."""
    if warehouse.engine(config) == "duckdb":
        path = warehouse.serving_path(config)
        if not path.exists():
            return None
        stat = path.stat()
        return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    published = published_at(config)
    return published.isoformat() if published else None


def mark_published(config: EcouteConfig) -> None:
    """Record a successful build whose marts are those already published, without copying them
    again: `published_at` (the page's "last successful build") moves to now."""
    if warehouse.engine(config) == "duckdb":
        os.utime(warehouse.serving_path(config))
        return
    with sql_client.connect(config) as con:
        _stamp_published(con, datetime.now(UTC))


def _stamp_published(con: Connection, when: datetime) -> None:
    """Postgres: the published schema's comment says when it became current (`published_at`)."""
    con.execute(f"comment on schema {_ident(PUBLISHED_SCHEMA)} is {_literal(when.isoformat())}")


def _remove_dead_stagings(target: Path) -> None:
    """Delete half-written serving copies left by a publish whose process was killed, with their
    WAL and DuckDB's spill folder (each is named after its writer's pid; a live writer's is left
    alone)."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        pid = leftover.name[len(target.name) + 2 :].split(".")[0]
        if not pid.isdigit() or processes.alive(int(pid)):
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _copy_comments(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Repeat the attached `build` database's table and column comments of `schema` here."""
    tables = con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = 'build' and schema_name = ? and comment is not null",
        [schema],
    ).fetchall()
    for table, comment in tables:
        con.execute(f"comment on table {_ident(schema)}.{_ident(table)} is {_literal(comment)}")
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where database_name = 'build' and schema_name = ? and comment is not null",
        [schema],
    ).fetchall()
    for table, column, comment in columns:
        column_ref = f"{_ident(schema)}.{_ident(table)}.{_ident(column)}"
        con.execute(f"comment on column {column_ref} is {_literal(comment)}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"
