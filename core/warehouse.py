"""The one place that knows which engine holds the warehouse, for dlt, dbt and the app.

`warehouse.engine` in the config picks DuckDB (default, embedded) or Postgres (the bundled
`ecoute.yml` reads it from `ECOUTE_ENGINE`).
The pipeline writes the *build* database; after a successful build the marts are published to a
separate *serving* copy that the app reads, so the page keeps working while a build runs and only
ever sees a whole build. On DuckDB that copy is a file swapped in with a rename; on a server
engine (Postgres) it is the `serving` schema of the same database, rebuilt and swapped in one
transaction (readers see the previous build or the new one, never half of it).
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import duckdb

    from core.config import EcouteConfig
    from core.sql_client import Connection

SERVING_SCHEMAS = ("marts",)
"""The only schemas copied to the serving file (not raw, dlt's `*_staging`, dbt_test_failures)."""
PUBLISHED_SCHEMA = "serving"
"""On Postgres: the schema holding the published copy of `marts` (readers name it `marts`)."""
PUBLISH_LOCK_TIMEOUT_MS = 2000
"""How long one swap attempt waits for readers of the old copy (new readers queue behind it)."""
PUBLISH_SWAP_SECONDS = 120.0
PUBLISH_RETRY_SLEEP_SECONDS = 0.5
LOCK_NOT_AVAILABLE = "55P03"  # Postgres' SQLSTATE for a lock_timeout

LOCK_WAIT_SECONDS = 5.0
"""How long a writer waits for another process to release the DuckDB file before failing."""
LOAD_LOCK_WAIT_SECONDS = 15.0
"""The same for a whole dlt load (about what dbt-duckdb's four connect attempts wait)."""
LOCK_FIRST_DELAY_SECONDS = 0.05
LOCK_MAX_DELAY_SECONDS = 1.0

_T = TypeVar("_T")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
log = logging.getLogger(__name__)


class WarehouseLockedError(RuntimeError):
    """Another process held the DuckDB file for longer than the wait allowed."""

    def __init__(self, path: Path, waited: float, cause: Exception) -> None:
        holder = _LOCK_HOLDER.search(str(cause))
        self.pid = int(holder["pid"]) if holder else None
        who = f"PID {holder['pid']} ({holder['program']})" if holder else "another process"
        super().__init__(
            f"{path} is locked by {who}; still held after {waited:.1f} s. Close that DuckDB "
            f"session (a read-only connection holds the file too) and run again. [{cause}]"
        )


def lock_conflict(error: BaseException) -> Exception | None:
    """DuckDB's lock conflict behind `error`, if any: the error itself or one it wraps (dlt wraps
    it twice: `PipelineStepFailed` → `DestinationConnectionError` → `duckdb.IOException`)."""
    import duckdb

    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, duckdb.IOException) and "Could not set lock" in str(current):
            return current
        wrapped = getattr(current, "exception", None)
        todo += [current.__cause__, current.__context__]
        if isinstance(wrapped, BaseException):
            todo.append(wrapped)
    return None


def retry_lock(open_: Callable[[], _T], path: Path, wait: float | None = None) -> _T:
    """Call `open_`, retrying DuckDB's lock conflict with doubling sleeps for `wait` seconds.

    DuckDB locks a file per process: a second process (an analyst's session, a stray build)
    makes every open fail at once, so a short hold is waited out instead of failing the build.
    `open_` may be a whole dlt load: a load that failed on the lock before loading is redone,
    one that failed at the load step finds its package pending and loads it.
    """
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    start = time.monotonic()
    delay = LOCK_FIRST_DELAY_SECONDS
    while True:
        try:
            return open_()
        except Exception as error:
            conflict = lock_conflict(error)
            if conflict is None:
                raise
            waited = time.monotonic() - start
            if waited >= wait:
                raise WarehouseLockedError(path, waited, conflict) from error
            if delay == LOCK_FIRST_DELAY_SECONDS:
                holder = _LOCK_HOLDER.search(str(conflict))
                who = f"PID {holder['pid']}" if holder else "another process"
                log.warning("%s is locked by %s; retrying for %.0f s", path, who, wait)
            time.sleep(min(delay, wait - waited))
            delay = min(delay * 2, LOCK_MAX_DELAY_SECONDS)


def engine(config: EcouteConfig) -> str:
    return config.warehouse.engine


MOTHERDUCK_TOKEN_ENV = "MOTHERDUCK_TOKEN"
"""Where the MotherDuck token lives (dlt is handed it; DuckDB's extension reads it itself)."""


def motherduck_database(config: EcouteConfig) -> str:
    """The database name of a `md:<database>` warehouse path."""
    return config.warehouse.path.removeprefix("md:")


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
    if engine(config) != "postgres":
        raise RuntimeError(
            f"warehouse.engine is {engine(config)}: this step runs on duckdb and postgres only "
            "(MotherDuck is mapped for dlt and dbt; readers and privacy are not wired to it yet)"
        )
    name = config.warehouse.postgres_dsn_env
    dsn = os.environ.get(name)
    if not dsn:
        raise RuntimeError(f"warehouse.engine is postgres but {name} is not set")
    return _with_password(dsn, os.environ.get(config.warehouse.postgres_password_env))


def reader_dsn(config: EcouteConfig) -> str | None:
    """The readers' DSN (`reader_dsn_env`, with `reader_password_env`'s password), or None when
    unset: then readers use the build's DSN in read-only sessions."""
    dsn = os.environ.get(config.warehouse.reader_dsn_env)
    if engine(config) != "postgres" or not dsn:
        return None
    return _with_password(dsn, os.environ.get(config.warehouse.reader_password_env))


def reader_role(config: EcouteConfig) -> str | None:
    """The role of the readers' DSN, which each publish lets read the published schema."""
    from urllib.parse import urlsplit

    dsn = reader_dsn(config)
    return urlsplit(dsn).username if dsn else None


def _with_password(dsn: str, password: str | None) -> str:
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(dsn)
    if password and parts.password is None and parts.hostname:
        user = parts.username or ""
        netloc = f"{user}:{quote(password, safe='')}@{parts.hostname}"
        netloc += f":{parts.port}" if parts.port else ""
        dsn = urlunsplit(parts._replace(netloc=netloc))
    return dsn


def postgres_credentials(config: EcouteConfig) -> Any:
    """dlt's Postgres credentials: a DSN without a password (trust, peer) gets an empty one, which
    dlt would otherwise refuse; every session runs in UTC, as the DuckDB one does."""
    from dlt.destinations.impl.postgres.configuration import PostgresCredentials

    credentials = PostgresCredentials()
    credentials.parse_native_representation(postgres_dsn(config))
    if credentials.password is None:
        credentials.password = ""
    credentials.query = {**(credentials.query or {}), "options": "-c TimeZone=UTC"}
    return credentials


def state_dir(config: EcouteConfig) -> Path:
    """The folder for this warehouse's state (dlt pipelines, Dagster home): beside the DuckDB
    file, or one folder per Postgres server and database, so switching engines or databases
    never reuses another warehouse's cursors."""
    if engine(config) == "motherduck":
        base = serving_path(config).parent
        folder = base / "motherduck" / re.sub(r"[^A-Za-z0-9_.-]", "_", motherduck_database(config))
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    base = duckdb_path(config).parent
    if engine(config) != "postgres":
        return base
    from urllib.parse import urlsplit

    dsn = urlsplit(postgres_dsn(config))
    database = dsn.path.lstrip("/") or "postgres"
    name = f"{dsn.hostname or 'local'}_{dsn.port or 5432}_{database}"
    folder = base / "postgres" / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def dlt_destination(config: EcouteConfig) -> Any:
    """The dlt destination for this warehouse."""
    import dlt

    if engine(config) == "postgres":
        return dlt.destinations.postgres(credentials=postgres_credentials(config))
    if engine(config) == "motherduck":
        from dlt.destinations.impl.motherduck.configuration import MotherDuckCredentials

        credentials = MotherDuckCredentials()
        credentials.parse_native_representation(config.warehouse.path)
        credentials.password = os.environ.get(MOTHERDUCK_TOKEN_ENV) or credentials.password
        return dlt.destinations.motherduck(credentials=credentials)
    return dlt.destinations.duckdb(str(duckdb_path(config)))


def dbt_vars(config: EcouteConfig) -> dict[str, str]:
    """The `--vars` that `dbt_project/profiles.yml` reads: target, DuckDB file, Postgres host.

    No secret travels here (dbt logs its command line): the profile reads the Postgres password
    from the environment variable named by `ecoute_postgres_password_env`.
    """
    if engine(config) == "motherduck":  # dbt-duckdb attaches `md:` paths itself (token from env)
        return {"ecoute_engine": "motherduck", "ecoute_motherduck_path": config.warehouse.path}
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
def connect(
    config: EcouteConfig, read_only: bool = False, wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the build database (DuckDB engine).

    A file locked by another process is retried for `wait` seconds (`LOCK_WAIT_SECONDS`), then
    `WarehouseLockedError` names the holder's PID.
    """
    import duckdb

    path = duckdb_path(config)
    con = retry_lock(lambda: duckdb.connect(str(path), read_only=read_only), path, wait)
    try:
        yield con
    finally:
        con.close()


def publish_serving(config: EcouteConfig) -> Path | None:
    """Copy the marts into a fresh serving file and swap it in atomically.

    `create table … as select` drops comments, so the table and column comments that dbt's
    `persist_docs` wrote are copied too. Returns the serving path (None on Postgres, where the
    copy is the `serving` schema: `publish_postgres`).
    """
    if engine(config) != "duckdb":
        publish_postgres(config)
        return None
    import duckdb

    target = serving_path(config)
    _remove_dead_stagings(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    build = duckdb_path(config)
    source = build.as_posix().replace("'", "''")
    con = duckdb.connect(str(staging))
    published = False
    try:
        retry_lock(lambda: con.execute(f"attach '{source}' as build (read_only)"), build)
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
    from core import sql_client

    following = _ident(f"{PUBLISHED_SCHEMA}_next")
    with sql_client.connect(config) as con:
        with con.transaction():
            con.execute(f"drop schema if exists {following} cascade")
            con.execute(f"create schema {following}")
            for schema in SERVING_SCHEMAS:
                _copy_postgres_schema(con, schema, following)
            _grant_reader(con, following, reader_role(config))
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
    if engine(config) == "duckdb":
        path = serving_path(config)
        return datetime.fromtimestamp(path.stat().st_mtime, UTC) if path.exists() else None
    from core import sql_client

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
    if engine(config) == "duckdb":
        path = serving_path(config)
        if not path.exists():
            return None
        stat = path.stat()
        return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    published = published_at(config)
    return published.isoformat() if published else None


def mark_published(config: EcouteConfig) -> None:
    """Record a successful build whose marts are those already published, without copying them
    again: `published_at` (the page's "last successful build") moves to now."""
    if engine(config) == "duckdb":
        os.utime(serving_path(config))
        return
    from core import sql_client

    with sql_client.connect(config) as con:
        _stamp_published(con, datetime.now(UTC))


def _stamp_published(con: Connection, when: datetime) -> None:
    """Postgres: the published schema's comment says when it became current (`published_at`)."""
    con.execute(f"comment on schema {_ident(PUBLISHED_SCHEMA)} is {_literal(when.isoformat())}")


def _remove_dead_stagings(target: Path) -> None:
    """Delete half-written serving copies left by a publish whose process was killed (each is
    named after its writer's pid; a live writer's is left alone)."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        pid = leftover.name[len(target.name) + 2 :].split(".")[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
