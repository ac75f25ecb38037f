"""`ecoute sql`: SQL on the published marts, through the serving copy's hardened connection.

Analysts read the serving copy (`core.serving`), never the build database, which a build holds
locked. The connection reads the marts only: no files, no other databases, no extensions. On
Postgres the serving copy is the published `serving` schema: statements that read only, each in a
read-only transaction rolled back afterwards; tables are named `marts.<table>` on both engines.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from core.config import load_config

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import duckdb

    from core.config import EcouteConfig

FORMATS = ("table", "csv", "json")
MAX_CELL = 80  # table cells are cut here; csv and json carry the whole value
HELP = "Statements end with `;` at the end of a line or an empty line; `.quit` (or EOF) leaves."


@dataclass
class Result:
    """The columns and rows of one statement."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


class PostgresSession:
    """A read-only session on the published schema of a Postgres warehouse (as the readers' role
    when `warehouse.reader_dsn_env` is set)."""

    def __init__(self, config: EcouteConfig) -> None:
        from core import sql_client
        from core.marts import check_published

        self.raw = sql_client.postgres_reader_connect(config)
        try:
            with self.raw.cursor() as cursor:
                check_published(cursor)
        except Exception:
            self.raw.close()
            raise

    def run(self, sql: str) -> Result:
        from core.marts import postgres_read
        from core.serving import postgres_statements

        result = Result([], [])
        statements = postgres_statements(sql)
        with self.raw.cursor() as cursor:
            cursor.execute("begin transaction read only")
            try:
                for statement in statements:
                    result = Result(*postgres_read(cursor, statement, []))
            finally:
                cursor.execute("rollback")
        return result

    def close(self) -> None:
        self.raw.close()


def _errors() -> tuple[type[Exception], ...]:
    """What a bad statement raises on either engine (printed, not a crash)."""
    import duckdb

    from core.serving import Forbidden, NoData

    errors: tuple[type[Exception], ...] = (duckdb.Error, Forbidden, NoData)
    try:
        import psycopg2  # type: ignore[import-untyped]  # no stubs in the postgres extra
    except ImportError:
        return errors
    return (*errors, psycopg2.Error)


def run(con: duckdb.DuckDBPyConnection | PostgresSession, sql: str) -> Result:
    """Run `sql` (one or more statements; the last one's rows come back) if it only reads."""
    from core import serving

    if isinstance(con, PostgresSession):
        return con.run(sql)
    serving.check_reads_only(con, sql)
    con.execute(sql)
    columns = [column[0] for column in con.description or []]
    return Result(columns, con.fetchall() if columns else [])


def _text(value: Any) -> str:
    return "NULL" if value is None else str(value)


def _is_number(value: Any) -> bool:
    return value is None or (
        isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    )


def _cut(line: str) -> str:
    return line if len(line) <= MAX_CELL else line[: MAX_CELL - 1] + "…"


def as_table(result: Result) -> str:
    """An aligned text table (numbers to the right), multi-line cells kept, `(n rows)` below."""
    cells = [
        [[_cut(line) for line in _text(v).splitlines() or [""]] for v in row] for row in result.rows
    ]
    widths = [len(name) for name in result.columns]
    for row in cells:
        widths = [
            max(w, *(len(line) for line in cell)) for w, cell in zip(widths, row, strict=True)
        ]
    numeric = [
        bool(result.rows) and all(_is_number(row[i]) for row in result.rows)
        for i in range(len(result.columns))
    ]

    def line(values: list[str]) -> str:
        padded = (
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        )
        return " | ".join(padded).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths)]
    for row in cells:
        for n in range(max(len(cell) for cell in row) if row else 0):
            out.append(line([cell[n] if n < len(cell) else "" for cell in row]))
    count = len(result.rows)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out)


def as_csv(result: Result) -> str:
    """CSV with a header row; NULL is an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    return out.getvalue().rstrip("\n")


def _json_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else str(value)


def as_json(result: Result) -> str:
    """One JSON array of objects; decimals as numbers, dates and other values as text."""
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return json.dumps(records, ensure_ascii=False, default=_json_value)


RENDER: dict[str, Callable[[Result], str]] = {"table": as_table, "csv": as_csv, "json": as_json}


def _statements(stream: Any, prompts: bool) -> Iterator[str]:
    """Each statement typed on `stream`; a dot command (a line of its own) is yielded alone."""
    pending: list[str] = []
    while True:
        if prompts:
            click.echo("   ...> " if pending else "ecoute> ", nl=False)
        line = stream.readline()
        if not line:
            break
        text = line.rstrip("\n")
        if text.strip().startswith("."):
            if pending:
                yield "\n".join(pending)
                pending = []
            yield text.strip()
            continue
        if text.strip():
            pending.append(text)
        if pending and (not text.strip() or text.rstrip().endswith(";")):
            yield "\n".join(pending)
            pending = []
    if pending:
        yield "\n".join(pending)


def _interactive(
    con: duckdb.DuckDBPyConnection | PostgresSession, render: Callable[[Result], str]
) -> None:
    stdin = sys.stdin  # click's CliRunner swaps it too
    prompts = stdin.isatty()
    if prompts:
        click.echo(f"Serving copy, read only. {HELP}")
    for statement in _statements(stdin, prompts):
        if statement in (".quit", ".exit", ".q"):
            break
        if statement.startswith("."):
            click.echo(HELP if statement == ".help" else f"unknown command {statement}", err=True)
            continue
        try:
            click.echo(render(run(con, statement)))
        except _errors() as error:
            click.echo(f"error: {error}", err=True)


@click.command("sql")
@click.argument("query", required=False)
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How rows are printed: an aligned table, CSV with a header, or a JSON array.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)
def sql(query: str | None, format_: str, config_file: str | None) -> None:
    """Query the published marts (the serving copy, read only).

    With QUERY, run it and print the rows (exit 1 on an error); without, read statements from
    stdin until `.quit` or EOF. Tables live in the `marts` schema, e.g.
    `ecoute sql "select * from marts.mart_share_of_voice limit 5"`.
    """
    from core import serving, warehouse

    config = load_config(config_file)
    con: duckdb.DuckDBPyConnection | PostgresSession
    try:
        if warehouse.engine(config) == "duckdb":
            con = serving.connect(config)
        else:
            con = PostgresSession(config)
    except serving.NoData as error:
        raise click.ClickException(str(error)) from None
    render = RENDER[format_]
    try:
        if query is None:
            _interactive(con, render)
            return
        try:
            click.echo(render(run(con, query)))
        except _errors() as error:
            raise click.ClickException(str(error)) from None
    finally:
        con.close()
