"""One connection interface for every read and small write outside dbt, on either engine.

DuckDB goes through `core.warehouse.connect` (lock retry, read-only open); Postgres through
psycopg2 (the driver `dlt[postgres]` and `dbt-postgres` install), with the session in UTC as on
DuckDB. Statements use `?` placeholders on both engines; a Python list binds as an array
(`unnest(?::varchar[])` works on both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import warehouse

if TYPE_CHECKING:
    from core.config import EcouteConfig


POSTGRES_TEXT_COLLATION = "C.utf8"
"""The collation Postgres folds case through (dbt's `ecoute_postgres_text_collation` default)."""


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

    def change(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one insert, update or delete and return how many rows it touched."""
        if self.engine == "duckdb":
            row = self.raw.execute(sql, list(params)).fetchone()
            return int(row[0]) if row else 0
        with self.raw.cursor() as cursor:
            cursor.execute(to_pyformat(sql) if params else sql, tuple(params) or None)
            return max(int(cursor.rowcount), 0)

    def fold_case(self, expression: str) -> str:
        """SQL lowercasing `expression` one letter for one letter whatever the database locale,
        as dbt's `fold_case` macro does (Postgres under locale `C` would leave `É` as is)."""
        if self.engine == "postgres":
            return f'lower(({expression}) collate "{POSTGRES_TEXT_COLLATION}")'
        return f"lower({expression})"

    def replace_table(
        self, name: str, select: str, params: Sequence[Any] = (), temporary: bool = False
    ) -> None:
        """`create or replace table name as select`, in one transaction (readers see the old
        table or the new one)."""
        kind = "temp table" if temporary else "table"
        if self.engine == "duckdb":
            self.execute(f"create or replace {kind} {name} as {select}", params)
            return
        with self.transaction():
            self.execute(f"drop table if exists {name}")
            self.execute(f"create {kind} {name} as {select}", params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around the statements run inside (rolled back on an error)."""
        self.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.execute("rollback")
            raise
        self.execute("commit")

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


def requalify(sql: str, schema: str, published: str) -> str:
    """`sql` with every table qualifier `schema.` (bare, any case, or `"schema".`) read as
    `published.`; quoted text and other names are left as they are. Readers name the marts
    `marts.t` on every engine; on Postgres the published copy lives in another schema."""
    bare = re.compile(rf"(?<![\w$.\"]){re.escape(schema)}(?=\s*\.)", re.IGNORECASE)
    out: list[str] = []
    position = 0
    for i, piece in enumerate(_QUOTED.split(sql)):
        position += len(piece)
        if i % 2 == 0:
            out.append(bare.sub(published, piece))
        elif piece == f'"{schema}"' and _QUALIFIER.match(sql, position):
            out.append(f'"{published}"')
        else:
            out.append(piece)
    return "".join(out)


_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
"""A string literal or a quoted identifier (split keeps them at odd positions)."""
_QUALIFIER = re.compile(r"\s*\.")


def postgres_connect(config: EcouteConfig, read_only: bool = False) -> Any:
    """A psycopg2 connection to the warehouse, autocommit, session time zone UTC."""
    return _postgres_session(warehouse.postgres_dsn(config), read_only)


def _postgres_session(dsn: str, read_only: bool) -> Any:
    """A psycopg2 connection to `dsn`, autocommit, session time zone UTC."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs in the postgres extra

    con = psycopg2.connect(dsn, options="-c TimeZone=UTC")
    con.set_session(readonly=read_only, autocommit=True)
    return con


def postgres_reader_connect(config: EcouteConfig) -> Any:
    """A read-only connection for a reader of the published schema: as the readers' role when
    `reader_dsn_env` is set (it may read that schema and nothing else), else as the build's."""
    dsn = warehouse.reader_dsn(config)
    if dsn is None:
        return postgres_connect(config, read_only=True)
    return _postgres_session(dsn, read_only=True)


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
