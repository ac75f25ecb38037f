"""Compare two warehouses built from the same world, table by table and key by key.

Keys come from the contracts: the raw tables' primary keys (`core.raw_schema`), `mention_id` for
`int_mentions`, and each mart's `unique` / `unique_combination_of_columns` test in its dbt yml.
A table without a declared key is compared as a multiset of rows. Floats compare with a
tolerance; the columns that record *when* or *which load* wrote a row are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from core import sql_client
from core.config import EcouteConfig

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "dbt_project" / "models"
# dlt's load and row ids (random per load) and wall-clock stamps of a row's (re)write.
WALL_CLOCK = frozenset(
    {
        "_dlt_load_id",
        "_dlt_id",
        "_dlt_root_id",
        "_dlt_parent_id",
        "fetched_at",
        "received_at",
        "refreshed_at",
        "last_refreshed_at",
        # the incremental community tables' watermarks: their inputs' newest refreshed_at
        "posts_refreshed_at",
        "behaviour_refreshed_at",
        "roles_refreshed_at",
        "mentions_refreshed_at",
        "enriched_at",
        "built_at",
        "run_at",
        "forgotten_at",
    }
)
FLOAT_TOLERANCE = 1e-9


@dataclass
class Table:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def mart_keys() -> dict[str, tuple[str, ...]]:
    """Each model's declared grain: its first `unique_combination_of_columns` or `unique` column."""
    keys: dict[str, tuple[str, ...]] = {}
    for path in sorted(MODELS.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models", []):
            for test in model.get("data_tests", []) or []:
                if isinstance(test, dict) and "unique_combination_of_columns" in test:
                    spec = test["unique_combination_of_columns"]
                    columns = spec.get("arguments", spec)["combination_of_columns"]
                    keys.setdefault(model["name"], tuple(columns))
            for column in model.get("columns", []) or []:
                if "unique" in (column.get("data_tests") or column.get("tests") or []):
                    keys.setdefault(model["name"], (column["name"],))
    return keys


def raw_keys() -> dict[str, tuple[str, ...]]:
    from core.raw_schema import RAW_TABLES

    return {table.name: (table.key,) for table in RAW_TABLES.values()}


def tables_of(config: EcouteConfig, schema: str) -> list[str]:
    with sql_client.connect(config, read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_type = 'BASE TABLE' order by 1",
            [schema],
        )
    return [name for (name,) in rows if not name.startswith("_dlt")]


def read_table(config: EcouteConfig, schema: str, table: str) -> Table:
    with sql_client.connect(config, read_only=True) as con:
        described = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        )
        kept = [(name, kind) for name, kind in described if name not in WALL_CLOCK]
        listed = ", ".join(f'"{name}"' for name, _ in kept)
        rows = con.execute(f'select {listed} from "{schema}"."{table}"')
    json_columns = [i for i, (_, kind) in enumerate(kept) if kind.lower() in {"json", "jsonb"}]
    rows = [_parse_json(row, json_columns) for row in rows]
    return Table([n for n, _ in kept], [k for _, k in kept], [tuple(map(plain, r)) for r in rows])


def _parse_json(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    """DuckDB hands JSON columns over as text, psycopg2 as Python values: parse the text."""
    import json

    values = list(row)
    for i in columns:
        if isinstance(values[i], str):
            values[i] = json.loads(values[i])
    return tuple(values)


def plain(value: Any) -> Any:
    """One Python value for both drivers: Decimal as float, timestamps in UTC, JSON as text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return bool(a == b)


def differences(
    name: str, left: Table, right: Table, key: Iterable[str] | None, limit: int = 3
) -> list[str]:
    """What differs between two copies of one table (empty when they match), first rows named."""
    if left.columns != right.columns:
        return [f"{name}: columns differ: {left.columns} != {right.columns}"]
    found: list[str] = []
    key_columns = tuple(key or ())
    if key_columns and all(column in left.columns for column in key_columns):
        positions = [left.columns.index(column) for column in key_columns]
        by_key = [{tuple(row[p] for p in positions): row for row in t.rows} for t in (left, right)]
        for missing in sorted(by_key[0].keys() - by_key[1].keys(), key=repr)[:limit]:
            found.append(f"{name}: key {missing} only on the first engine: {by_key[0][missing]}")
        for extra in sorted(by_key[1].keys() - by_key[0].keys(), key=repr)[:limit]:
            found.append(f"{name}: key {extra} only on the second engine: {by_key[1][extra]}")
        for shared in sorted(by_key[0].keys() & by_key[1].keys(), key=repr):
            a, b = by_key[0][shared], by_key[1][shared]
            columns = [c for c, x, y in zip(left.columns, a, b, strict=True) if not same(x, y)]
            if columns:
                pairs = {c: (a[left.columns.index(c)], b[left.columns.index(c)]) for c in columns}
                found.append(f"{name}: key {shared} differs in {pairs}")
                if len(found) >= limit:
                    break
        return found
    rounded = [Counter(tuple(_round(v) for v in row) for row in t.rows) for t in (left, right)]
    for row in list((rounded[0] - rounded[1]).elements())[:limit]:
        found.append(f"{name}: row only on the first engine: {row}")
    for row in list((rounded[1] - rounded[0]).elements())[:limit]:
        found.append(f"{name}: row only on the second engine: {row}")
    return found


def _round(value: Any) -> Any:
    return round(value, 9) if isinstance(value, float) else value
