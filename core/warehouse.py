"""The one place that knows which engine holds the warehouse, for dlt, dbt and the app.

`warehouse.engine` in the config picks DuckDB (default, embedded) or Postgres (the bundled
`ecoute.yml` reads it from `ECOUTE_ENGINE`).
The pipeline writes the *build* database; after a successful build the marts are published
(`core.publish`) to a separate *serving* copy that the app reads, so the page keeps working while a
build runs and only ever sees a whole build: the file at `serving_path` on DuckDB, the
`PUBLISHED_SCHEMA` schema of the same database on a server engine (Postgres).
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import duckdb

    from core.config import EcouteConfig

PUBLISHED_SCHEMA = "serving"
"""On Postgres: the schema holding the published copy of `marts` (readers name it `marts`)."""

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


DUCKDB_SETTINGS_VAR = "ecoute_duckdb_settings"
"""The dbt var carrying `duckdb_settings` to `profiles.yml` (absent when there are none)."""


def duckdb_settings(config: EcouteConfig) -> dict[str, Any]:
    """The DuckDB settings `ecoute.yml` sets for every connection to the build warehouse
    (`warehouse.memory_limit`, `threads`); those left unset keep DuckDB's defaults."""
    section = config.warehouse
    settings = {"memory_limit": section.memory_limit, "threads": section.threads}
    return {name: value for name, value in settings.items() if value is not None}


def apply_duckdb_settings(con: duckdb.DuckDBPyConnection, config: EcouteConfig) -> None:
    """Set `duckdb_settings` on an open connection, for its whole database instance. Set after
    opening, as dlt sets them: DuckDB refuses to open a file this process already holds with
    other connect-time settings than the first connection's."""
    for name, value in duckdb_settings(config).items():
        con.execute(f"set global {name} = ?", [value])


def dlt_destination(config: EcouteConfig) -> Any:
    """The dlt destination for this warehouse (on DuckDB, with `duckdb_settings`)."""
    import dlt

    if engine(config) == "postgres":
        return dlt.destinations.postgres(credentials=postgres_credentials(config))
    if engine(config) == "motherduck":
        from dlt.destinations.impl.motherduck.configuration import MotherDuckCredentials

        credentials = MotherDuckCredentials()
        credentials.parse_native_representation(config.warehouse.path)
        credentials.password = os.environ.get(MOTHERDUCK_TOKEN_ENV) or credentials.password
        return dlt.destinations.motherduck(credentials=credentials)
    from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

    settings = duckdb_settings(config) or None  # dlt sets them on each connection it opens
    return dlt.destinations.duckdb(
        credentials=DuckDbCredentials(str(duckdb_path(config)), global_config=settings)
    )


def dbt_vars(config: EcouteConfig) -> dict[str, Any]:
    """The `--vars` that `dbt_project/profiles.yml` reads: target, DuckDB file and settings,
    Postgres host.

    No secret travels here (dbt logs its command line): the profile reads the Postgres password
    from the environment variable named by `ecoute_postgres_password_env`.
    """
    if engine(config) == "motherduck":  # dbt-duckdb attaches `md:` paths itself (token from env)
        return {"ecoute_engine": "motherduck", "ecoute_motherduck_path": config.warehouse.path}
    values: dict[str, Any] = {
        "ecoute_engine": engine(config),
        "ecoute_duckdb_path": str(duckdb_path(config)),
    }
    if engine(config) == "duckdb" and (settings := duckdb_settings(config)):
        values[DUCKDB_SETTINGS_VAR] = settings
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
    """A connection to the build database (DuckDB engine), with `duckdb_settings`.

    A file locked by another process is retried for `wait` seconds (`LOCK_WAIT_SECONDS`), then
    `WarehouseLockedError` names the holder's PID.
    """
    import duckdb

    path = duckdb_path(config)
    con = retry_lock(lambda: duckdb.connect(str(path), read_only=read_only), path, wait)
    try:
        apply_duckdb_settings(con, config)
        yield con
    finally:
        con.close()
