"""Helpers for the API-source tests: a fast config in a temp folder, warehouse reads, fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core import warehouse
from core.config import EcouteConfig, parse_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

# Retries in tests: real code path, tiny delays.
FAST = {
    "request_max_attempts": 3,
    "request_backoff_s": 0.01,
    "max_retry_delay_s": 0.05,
    "timeout_s": 5,
}


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def make_config(
    tmp_path: Path, sources: dict[str, Any], crawler: dict[str, Any] | None = None
) -> EcouteConfig:
    """A two-brand project writing to a DuckDB file under `tmp_path`."""
    return parse_config(
        {
            "project": {"name": "test"},
            "brands": [
                {"name": "Nuage", "aliases": ["Nuage Télécom", "NuageBox", "nuage"]},
                {"name": "Célest", "competitor": True, "aliases": ["Celest"]},
            ],
            "sources": sources,
            "crawler": crawler or {},
            "warehouse": {"path": "wh/warehouse.duckdb"},
        },
        base_dir=tmp_path,
    )


def rows(config: EcouteConfig, sql: str) -> list[tuple[Any, ...]]:
    with warehouse.connect(config, read_only=True) as con:
        return con.execute(sql).fetchall()


def count(config: EcouteConfig, table: str) -> int:
    """Rows in raw.<table>, 0 when the table does not exist."""
    with warehouse.connect(config, read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()[0][0]
        if not exists:
            return 0
        return con.execute(f'select count(*) from raw."{table}"').fetchall()[0][0]


def runs(config: EcouteConfig, name: str) -> Any:
    """One pipeline run of source `name`, as the CLI and Dagster do it."""
    from ingestion.pipelines import run_source

    return run_source(config, name)
