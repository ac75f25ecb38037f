"""The hardened connection to the serving copy: every reader of the published marts opens it here.

The page, the alert sensor and `ecoute sql` run SQL on the serving file; none of them needs the
file system, the network, extensions or other databases, so the connection is opened without them
and its configuration is locked so a statement cannot switch them back on (checked on DuckDB 2.0).

On Postgres the serving copy is the published `serving` schema (`core.publish`); `ecoute sql`
runs there only statements that read (`postgres_statements`), each in a read-only transaction
that is rolled back. The stronger fence is a role that may only read that schema: with
`warehouse.reader_dsn_env` set, every reader connects as that role and each publish grants it
the published schema alone (`core.publish`), so even a function a SELECT may call
(`pg_read_file`, `set_config('role', …)`) runs without the build's rights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import warehouse

if TYPE_CHECKING:
    import duckdb

    from core.config import EcouteConfig

# Each setting, and what it takes away from a statement run on the serving copy.
SETTINGS: dict[str, Any] = {
    # read_csv/read_text/read_parquet/glob on any file or URL, COPY … TO, EXPORT, ATTACH, INSTALL.
    "enable_external_access": False,
    # a query naming an extension's function or file type does not load or download it.
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    # no spill folder beside the file (DuckDB would let COPY … TO write into `<file>.tmp/`).
    "temp_directory": "",
    # `select * from some_python_variable` does not read the caller's objects.
    "python_enable_replacements": False,
    # SET/RESET/PRAGMA cannot change any of the above (nor memory, threads, paths) afterwards.
    "lock_configuration": True,
}

# Statement kinds a reader may run. DuckDB still allows COPY … TO the file's own WAL paths with
# external access off, so COPY and EXPORT are refused before they reach it, with everything else
# that changes the catalog (ATTACH, DETACH, LOAD/INSTALL, CREATE, …). SET stays for `use marts`;
# the locked configuration refuses every global setting.
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "SET"})


class NoData(RuntimeError):
    """No published build yet."""


class Forbidden(PermissionError):
    """A statement that does more than read the marts."""


def connect(config: EcouteConfig) -> duckdb.DuckDBPyConnection:
    """Open the serving copy read-only, with no file, network or extension access, config locked.

    Raises `NoData` when no build has been published. The caller closes the connection.
    """
    import duckdb

    path = warehouse.serving_path(config)
    if not path.exists():
        raise NoData(f"no published build at {path}: run `ecoute run` first")
    return duckdb.connect(str(path), read_only=True, config=settings(config))


def settings(config: EcouteConfig) -> dict[str, Any]:
    """`SETTINGS`, plus the warehouse's memory limit and threads (`warehouse.duckdb_settings`),
    locked with the rest. With no spill folder, a query past the limit fails instead of spilling."""
    return {**warehouse.duckdb_settings(config), **SETTINGS}


def check_reads_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise `Forbidden` unless every statement in `sql` is one a reader may run."""
    for statement in con.extract_statements(sql):
        kind = statement.type.name
        if kind not in READ_STATEMENTS:
            raise Forbidden(f"{kind} statements are not allowed on the serving copy (read only)")


POSTGRES_READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN"})
"""No SET on Postgres: `set default_transaction_read_only = off` would lift the fence."""


def postgres_statements(sql: str) -> list[str]:
    """The statements of `sql`, one text each, when every one of them only reads; else
    `Forbidden`. DuckDB's parser (derived from Postgres') splits and types them."""
    import duckdb

    splitter = duckdb.connect(":memory:")
    try:
        statements = splitter.extract_statements(sql)
    except duckdb.Error as error:
        raise Forbidden(f"not a statement this reader can check: {error}") from None
    finally:
        splitter.close()
    for statement in statements:
        kind = statement.type.name
        if kind not in POSTGRES_READ_STATEMENTS:
            raise Forbidden(f"{kind} statements are not allowed on the serving copy (read only)")
    return [statement.query for statement in statements]
