"""One connection interface for every read and small write outside dbt, on either engine.

DuckDB goes through `core.warehouse.connect` (lock retry, read-only open); Postgres through
psycopg2 (the driver `dlt[postgres]` and `dbt-postgres` install), with the session in UTC as on
DuckDB. Statements use `?` placeholders on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import warehouse

if TYPE_CHECKING:
    from core.config import EcouteConfig


@dataclass
class Connection:
    """A DB-API connection and the engine it belongs to."""

    engine: str
    raw: Any

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (none for a statement without a result)."""
        if self.engine == "duckdb":
            return list(self.raw.execute(sql, list(params)).fetchall())
        with self.raw.cursor() as cursor:
            cursor.execute(to_pyformat(sql) if params else sql, tuple(params) or None)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(
            self.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = ? and table_name = ?",
                [schema, table],
            )[0][0]
        )


def to_pyformat(sql: str) -> str:
    """`?` placeholders as psycopg2's `%s`: every `%` doubled, a `?` inside a quoted string or
    identifier (`'?'`, `"a?"`) kept as it is."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            quote = "" if char == quote else quote  # '' and "" close then reopen: same result
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    return "".join(out)


def postgres_connect(config: EcouteConfig, read_only: bool = False) -> Any:
    """A psycopg2 connection to the warehouse, autocommit, session time zone UTC."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs in the postgres extra

    con = psycopg2.connect(warehouse.postgres_dsn(config), options="-c TimeZone=UTC")
    con.set_session(readonly=read_only, autocommit=True)
    return con


def warehouse_exists(config: EcouteConfig) -> bool:
    """False only when the DuckDB file was never created (a Postgres server is always there)."""
    if warehouse.engine(config) == "duckdb":
        return warehouse.duckdb_path(config).exists()
    return True


@contextmanager
def connect(
    config: EcouteConfig, read_only: bool = False, wait: float | None = None
) -> Iterator[Connection]:
    """A connection to the build warehouse of `config`, closed on exit."""
    if warehouse.engine(config) == "duckdb":
        with warehouse.connect(config, read_only=read_only, wait=wait) as con:
            yield Connection("duckdb", con)
        return
    raw = postgres_connect(config, read_only=read_only)
    try:
        yield Connection("postgres", raw)
    finally:
        raw.close()
