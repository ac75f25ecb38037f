"""Shared fixtures: a small demo world served on loopback and a warehouse built from it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_MENTIONS = 600
DEMO_SEED = 42
FIRST_CUTOFF_DAY = 80


# Layers that build a warehouse, run dbt or the asset graph: always `slow` (not in make test-fast).
SLOW_PATHS = (
    "tests/dbt/",
    "tests/orchestration/",
    "tests/test_end_to_end.py",
    "tests/test_community.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """A suite started with SIGINT ignored (a background job: CI) gives it a handler again: the
    Dagster runs made in this process would otherwise leave SIGTERM ignored for every child a
    later test starts (`orchestration/lib/interrupts.py` says why)."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = os.environ.get("ECOUTE_LIVE_TESTS") == "1"
    skip = pytest.mark.skip(reason="live source: set ECOUTE_LIVE_TESTS=1 to run")
    for item in items:
        if str(item.path.relative_to(REPO)).startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)
        if "live" in item.keywords and not live:
            item.add_marker(skip)


def write_demo_config(folder: Path, port: int, mentions: int = DEMO_MENTIONS) -> Path:
    """The bundled ecoute.yml pointed at a test port and a private warehouse folder."""
    data: dict[str, Any] = yaml.safe_load((REPO / "ecoute.yml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(data, allow_unicode=True).replace("${ECOUTE_DEMO_PORT:-8765}", str(port))
    data = yaml.safe_load(text)
    data["warehouse"] = {
        "engine": "duckdb",
        "path": str(folder / "warehouse.duckdb"),
        "serving_path": str(folder / "serving.duckdb"),
    }
    data["demo"] = {**data["demo"], "mentions": mentions, "port": port}
    path = folder / "ecoute.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class DemoBuild:
    """A warehouse built twice from one demo world: first up to a cutoff day, then all of it."""

    folder: Path
    config_file: Path
    world: Any
    server: Any
    cutoff: datetime
    first: Any  # BuildSummary
    second: Any  # BuildSummary
    after_first: dict[str, dict[str, tuple]]  # raw table -> natural key -> row

    @property
    def warehouse(self) -> Path:
        return self.folder / "warehouse.duckdb"

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


RAW_KEYS = {"web_pages": "url", "web_comments": "comment_id", "hackernews_items": "object_id"}
VOLATILE = ("fetched_at", "refreshed_at", "last_refreshed_at", "enriched_at", "_dlt_load_id")


def snapshot(
    warehouse: Path, schema: str, keys: Mapping[str, str | tuple[str, ...]]
) -> dict[str, dict[str, tuple]]:
    """Rows by natural key, without the columns that record *when* a row was (re)written."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        result = {}
        for table, key in keys.items():
            columns = [
                c[0]
                for c in con.execute(f"describe {schema}.{table}").fetchall()
                if c[0] not in VOLATILE and c[0] != "_dlt_id"
            ]
            rows = con.execute(f"select {', '.join(columns)} from {schema}.{table}").fetchall()
            names = (key,) if isinstance(key, str) else key
            positions = [columns.index(name) for name in names]
            result[table] = {"|".join(str(row[p]) for p in positions): row for row in rows}
        return result
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBuild]:
    from core.config import load_config
    from demo.server import serve_world
    from demo.world import generate_world
    from orchestration.run import run_build

    folder = tmp_path_factory.mktemp("demo_build")
    world = generate_world(seed=DEMO_SEED, mentions=DEMO_MENTIONS)
    cutoff = datetime.combine(world.start, datetime.min.time(), tzinfo=UTC) + timedelta(
        days=FIRST_CUTOFF_DAY
    )
    with serve_world(world, as_of=cutoff) as server:
        config_file = write_demo_config(folder, server.port)
        config = load_config(config_file)
        first = run_build(config, say=lambda _: None)
        after_first = snapshot(folder / "warehouse.duckdb", "raw", RAW_KEYS)
        server.set_as_of(None)
        second = run_build(config, say=lambda _: None)
        yield DemoBuild(folder, config_file, world, server, cutoff, first, second, after_first)
