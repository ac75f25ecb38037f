"""What a dbt step reads, as one fingerprint, so a build with nothing new runs no `dbt build`.

The fingerprint covers every table of the schemas the step reads (`raw`, `privacy`, and
`enrichment` after the Python step): its row count and a digest of its content, the dbt project's
files, the dbt vars and the config file. A table whose row count and newest dlt load id are those
of the last build keeps its stored digest, so a build with nothing loaded costs a few counts
whatever the warehouse holds. The digest is a sum of row hashes: a table that only gained rows
(its count grew by exactly the rows of loads newer than the last build's) adds theirs to the
stored one, so new data costs what it holds; a table that lost or replaced rows is read whole
again. A dlt load that re-merges identical rows (an API's overlap window) leaves the digest
unchanged, since the columns recording *when* a row was written are left out of it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from core import sql_client, warehouse
from core.config import EcouteConfig
from orchestration.lib.settings import DBT_PROJECT_DIR

# Columns that record when or in which load a row was written, not what it says (no model reads
# them: `fetched_at` stops at staging, for source freshness only).
WRITE_TIME_COLUMNS = ("_dlt_load_id", "_dlt_id", "fetched_at")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_FOLDERS = ("models", "macros", "tests", "analyses", "seeds", "snapshots")
# The parts of a fingerprint that say how dbt builds, not what it reads.
CODE_KEYS = ("project", "vars", "config")


def project_digest() -> str:
    """sha256 over every file dbt reads from the project (code, tests, YAML)."""
    digest = hashlib.sha256()
    paths = [DBT_PROJECT_DIR / name for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        paths += sorted((DBT_PROJECT_DIR / folder).rglob("*"))
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _columns(con: sql_client.Connection, schema: str) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = ? and table_name not like '\\_dlt%' escape '\\' "
        "order by table_name, ordinal_position",
        [schema],
    )
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(str(table), []).append(str(column))
    return tables


def _digest_sql(engine: str, relation: str, columns: list[str], since: bool = False) -> str:
    """An order-independent digest of the content columns (a sum of row hashes, exact: DuckDB
    sums into a 128-bit integer, Postgres into a numeric), with the row count; `since`: of the
    rows of loads after the one given as parameter only."""
    content = [f'"{c}"' for c in columns if c not in WRITE_TIME_COLUMNS] or ["1"]
    if engine == "duckdb":
        row_hash = f"hash({', '.join(content)})"
    else:
        row_hash = f"hashtextextended(cast(row({', '.join(content)}) as text), 0)"
    where = " where _dlt_load_id > ?" if since else ""
    return f"select count(*), cast(coalesce(sum({row_hash}), 0) as varchar) from {relation}{where}"


def table_states(
    config: EcouteConfig, schemas: tuple[str, ...], known: dict[str, Any]
) -> dict[str, Any]:
    """Per table `schema.table`: [row count, newest load id, content digest]; the digest is read
    again only when the count or load id differ from `known` (the last build's)."""
    engine = warehouse.engine(config)
    states: dict[str, Any] = {}
    if not sql_client.warehouse_exists(config):
        return states
    with sql_client.connect(config, read_only=True) as con:
        for schema in schemas:
            for table, columns in _columns(con, schema).items():
                relation = f'"{schema}"."{table}"'
                newest = "max(_dlt_load_id)" if "_dlt_load_id" in columns else "null"
                ((count, load_id),) = con.execute(f"select count(*), {newest} from {relation}")
                name = f"{schema}.{table}"
                before = known.get(name)
                if before and before[:2] == [int(count), load_id] and load_id is not None:
                    states[name] = before
                    continue
                digest = _added_to(con, engine, relation, columns, before, int(count), load_id)
                if digest is None:
                    ((_, digest),) = con.execute(_digest_sql(engine, relation, columns))
                states[name] = [int(count), load_id, str(digest)]
    return states


def _added_to(
    con: sql_client.Connection,
    engine: str,
    relation: str,
    columns: list[str],
    before: list[Any] | None,
    count: int,
    load_id: str | None,
) -> str | None:
    """The digest of a table that only gained rows since `before` (the last build's state): the
    stored digest plus the new loads' rows; None when rows were also deleted or replaced (a
    merge gives a replaced row the new load id, so the count grew by fewer than the new rows)."""
    if not before or before[1] is None or load_id is None or count < before[0]:
        return None
    ((added, digest),) = con.execute(
        _digest_sql(engine, relation, columns, since=True), [before[1]]
    )
    if before[0] + int(added) != count:
        return None
    return str(int(before[2]) + int(digest))


def fingerprint(config: EcouteConfig, schemas: tuple[str, ...], known: dict[str, Any]) -> dict:
    """Everything a dbt step's result depends on (see the module docstring)."""
    return {
        "project": project_digest(),
        "vars": warehouse.dbt_vars(config),
        "config": hashlib.sha256(config.source_file.read_bytes()).hexdigest(),
        "tables": table_states(config, schemas, known.get("tables", {})),
    }


def unchanged(current: dict, built: dict) -> bool:
    """Whether a step's inputs are those of its last build: same project, vars, config, and per
    table the same row count and digest (a newer load id alone is a re-merge of the same rows)."""

    def content(fingerprint: dict) -> dict:
        tables = fingerprint.get("tables", {})
        return {
            **fingerprint,
            "tables": {name: [state[0], state[2]] for name, state in tables.items()},
        }

    return bool(built) and content(current) == content(built)


def same_code(current: dict, built: dict) -> bool:
    """Whether a step's project files, vars and config are those of its last build."""
    return bool(built) and all(current[key] == built.get(key) for key in CODE_KEYS)


def last_built(path: Path) -> dict:
    """The fingerprint the last successful build of a step saved (empty when none)."""
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def save(path: Path, built: dict) -> None:
    """Record a successful build's fingerprint (written aside then renamed: never half a file)."""
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(built, sort_keys=True))
    scratch.replace(path)
