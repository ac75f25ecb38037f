"""Shared fixtures: a small demo world served on loopback and a warehouse built from it."""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:
    from tests.dbt.conftest import DbtWarehouse

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


# The marts a build on unchanged sources must leave as they were, by natural key.
RERUN_MARTS: dict[str, str | tuple[str, ...]] = {
    "fct_mentions": "mention_id",
    "fct_brand_mentions": "brand_mention_id",
    "mart_brand_sentiment_daily": ("brand", "day"),
    "dim_authors": "author_id",
}


@dataclass
class Readings:
    """What a build on unchanged sources must not change, read from the demo warehouse."""

    evaluation_runs: int
    raw: dict[str, dict[str, tuple]]
    marts: dict[str, dict[str, tuple]]
    mentions: tuple  # fct_mentions: (count, sum of sentiment_score)
    oldest_refresh: Any  # fct_mentions: min(refreshed_at)


def readings(build: DemoBuild) -> Readings:
    ((runs,),) = build.query("select count(*) from enrichment.evaluation_runs")
    (mentions,) = build.query("select count(*), sum(sentiment_score) from marts.fct_mentions")
    ((oldest,),) = build.query("select min(refreshed_at) from marts.fct_mentions")
    return Readings(
        runs,
        snapshot(build.warehouse, "raw", RAW_KEYS),
        snapshot(build.warehouse, "marts", RERUN_MARTS),
        mentions,
        oldest,
    )


def _same_row(left: tuple, right: tuple) -> bool:
    """Equal values; floats to 1e-9 (a build after a config change rebuilds the incremental
    marts whole, and an average summed in another order differs in its last bits)."""

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        return bool(a == b)

    return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))


def assert_no_row_changed(before: Readings, after: Readings) -> None:
    """The build between two readings scored nothing again and changed no raw or mart row."""
    assert after.evaluation_runs == before.evaluation_runs  # same version: not scored again
    assert after.raw == before.raw
    for table in RERUN_MARTS:
        assert after.marts[table].keys() == before.marts[table].keys(), table
        for key, row in after.marts[table].items():
            assert _same_row(row, before.marts[table][key]), (table, key)


def dbt_materializations(build: DemoBuild) -> dict[str, dict]:
    """Asset → metadata of the dbt materializations of the last run on the build's instance."""
    import dagster as dg

    from core.config import load_config
    from orchestration.run import dagster_home

    config = load_config(build.config_file)
    with dg.DagsterInstance.from_config(str(dagster_home(config))) as instance:
        (run,) = instance.get_runs(limit=1)
        found = {}
        for record in instance.all_logs(
            run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        ):
            materialization = record.asset_materialization
            if materialization is not None and materialization.asset_key.path[0] in (
                "staging",
                "intermediate",
                "marts",
            ):
                found[materialization.asset_key.to_user_string()] = dict(materialization.metadata)
        return found


@dataclass
class Rerun:
    """A third build of `demo_build` on unchanged sources: its summary, its run's dbt
    materializations, and the warehouse read just before and just after it."""

    summary: Any  # BuildSummary
    dbt: dict[str, dict]
    before: Readings
    after: Readings


@pytest.fixture(scope="session")
def demo_rerun(demo_build: DemoBuild) -> Rerun:
    """One build on unchanged sources, shared by the two tests of such a build (it changes no row;
    it runs no dbt): a build of the demo world costs about 40 s. Made when a test first asks for
    it, so `test_dbt_steps` gets it before its config edit rebuilds the marts whole."""
    from core.config import load_config
    from orchestration.run import run_build

    before = readings(demo_build)
    summary = run_build(load_config(demo_build.config_file), say=lambda _: None)
    return Rerun(summary, dbt_materializations(demo_build), before, readings(demo_build))


@pytest.fixture(scope="session")
def private(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    """The dbt fixture world built as the build does (privacy step, then dbt) with the canary
    key: shared by the privacy marts' tests and `ecoute forget`'s, so read-only (a test that
    changes it works on `private.copy_to(...)`)."""
    from tests.core.test_privacy import CANARY_KEY, KEY_ENV
    from tests.dbt.test_privacy_marts import build_private

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, CANARY_KEY)
        wh, _ = build_private(tmp_path_factory.mktemp("privacy_built"))
    return wh
