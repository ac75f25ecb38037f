"""Read-only access to the published marts, for the page and the alert sensor.

On DuckDB this opens the *serving* copy through `core.serving` (read-only, no file, network or
extension access; never the build database, so readers keep working during a build). On Postgres
it reads the published `serving` schema (`core.publish.publish_postgres`), in a read-only UTC
session, as the readers' role when one is configured (`warehouse.reader_dsn_env`); queries name the
marts `marts.<table>` on both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from core import serving, sql_client, warehouse
from core.config import EcouteConfig
from core.serving import NoData as NoData  # raised before a first build; readers catch it here

MARTS_SCHEMA = "marts"


def missing_table_errors() -> tuple[type[Exception], ...]:
    """What a query on a table that does not exist (yet) raises, on either engine."""
    import duckdb

    errors: tuple[type[Exception], ...] = (duckdb.CatalogException,)
    try:
        from psycopg2.errors import UndefinedTable  # type: ignore[import-untyped]
    except ImportError:  # the postgres extra is not installed
        return errors
    return (*errors, UndefinedTable)


@dataclass
class Marts:
    """A read-only handle on the marts."""

    config: EcouteConfig

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        if warehouse.engine(self.config) == "postgres":
            return self._query_postgres(sql, params or [])
        con = serving.connect(self.config)
        try:
            serving.check_reads_only(con, sql)
            return con.execute(sql, params or []).df()
        finally:
            con.close()

    def _query_postgres(self, sql: str, params: list[Any]) -> pd.DataFrame:
        con = sql_client.postgres_reader_connect(self.config)
        try:
            with con.cursor() as cursor:
                columns, rows = postgres_read(cursor, sql, params)
        finally:
            con.close()
        return _like_duckdb(pd.DataFrame(rows, columns=columns))


def published_schema(config: EcouteConfig) -> str:
    """The schema that holds the published marts for a reader of this engine."""
    return MARTS_SCHEMA if warehouse.engine(config) == "duckdb" else warehouse.PUBLISHED_SCHEMA


def postgres_read(
    cursor: Any, sql: str, params: list[Any]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a reader's `sql` (naming `marts.<table>`) on the published schema, in the cursor's
    read-only session; `NoData` before a first publish."""
    check_published(cursor)
    statement = sql_client.requalify(sql, MARTS_SCHEMA, warehouse.PUBLISHED_SCHEMA)
    cursor.execute(
        sql_client.to_pyformat(statement) if params else statement, tuple(params) or None
    )
    columns = [column.name for column in cursor.description or ()]
    return columns, list(cursor.fetchall()) if cursor.description is not None else []


def check_published(cursor: Any) -> None:
    """`NoData` unless the published schema exists (and this session may see it)."""
    cursor.execute(
        "select count(*) from information_schema.schemata where schema_name = %s",
        (warehouse.PUBLISHED_SCHEMA,),
    )
    if not cursor.fetchone()[0]:
        raise NoData("no published build in the warehouse: run `ecoute run` first")


def _like_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    """The column types DuckDB's `.df()` gives, from psycopg2's Python values: `numeric`
    (`Decimal`) as floats, dates and timestamps as datetime64 (time zone aware ones in UTC)."""
    for column in frame.columns:
        values = frame[column].dropna()
        if not len(values):
            continue
        first = values.iloc[0]
        if isinstance(first, Decimal):
            frame[column] = frame[column].astype(float)
        elif isinstance(first, datetime):
            frame[column] = pd.to_datetime(frame[column], utc=first.tzinfo is not None)
        elif isinstance(first, date):
            frame[column] = pd.to_datetime(frame[column])
    return frame
