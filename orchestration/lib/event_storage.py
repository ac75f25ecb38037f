"""Cheaper event records for an in-process run on Dagster's SQLite storage.

Dagster's SQLite event log opens a new connection for each write and commits and closes it after
(a dbt step's ~300 results are about 1,000 events, ~6 connections each). Its databases are in WAL
mode, where the last connection to close a database checkpoints it and deletes its WAL, and each
commit waits for the disk (SQLite's default `synchronous=FULL`): the run's events cost about a
minute of a loaded machine's time in a +1 % build, more than dbt's own work at 100k mentions.
For the run, one more connection to each database is held open (it reads and writes nothing), so
closing Dagster's is cheap, and Dagster's connections to the instance's storage commit with
`synchronous=NORMAL`, which in WAL mode syncs at checkpoints instead of at every commit: a killed
process loses nothing; a power cut may lose the last events, never the database's consistency.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    import dagster as dg

INDEX_SHARD = "index"  # the shard of Dagster's cross-run index (asset and check events)


def execute_in_process(
    job: dg.JobDefinition, instance: dg.DagsterInstance, **options: Any
) -> dg.ExecuteInProcessResult:
    """`job.execute_in_process` on `instance`, its events recorded through `kept_open`."""
    run_id = str(uuid.uuid4())
    with kept_open(instance, run_id):
        return job.execute_in_process(instance=instance, run_id=run_id, **options)


@contextmanager
def kept_open(instance: Any, run_id: str) -> Iterator[None]:
    """Hold the event index and the run's own event shard open while `run_id` runs, and commit
    the instance's SQLite writes without a sync each (nothing on other storages: Postgres, or the
    in-memory one of an ephemeral instance)."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    storage = instance.event_log_storage
    if not isinstance(storage, SqliteEventLogStorage):
        yield
        return
    with storage.run_connection(run_id):  # creates the run's shard (tables, WAL) as Dagster would
        pass
    with ExitStack() as stack:
        for shard in (INDEX_SHARD, run_id):
            connection = stack.enter_context(
                closing(sqlite3.connect(storage.path_for_shard(shard), timeout=30))
            )
            # Reading once makes the connection take part in the WAL (a shared lock held until
            # it closes); the read transaction ends with the statement.
            connection.execute("select count(*) from sqlite_master").fetchall()
        stack.enter_context(_synchronous_normal(Path(instance.root_directory)))
        yield


@contextmanager
def _synchronous_normal(root: Path) -> Iterator[None]:
    """`synchronous=NORMAL` on every SQLite connection SQLAlchemy opens to a file under `root`."""
    inside = f"{root.resolve()}/"

    def on_connect(connection: Any, _record: Any) -> None:
        if not isinstance(connection, sqlite3.Connection):
            return
        files = [row[2] for row in connection.execute("pragma database_list")]
        if any(name and str(Path(name).resolve()).startswith(inside) for name in files):
            connection.execute("pragma synchronous=NORMAL")

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)
