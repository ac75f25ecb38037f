"""Engine parity: one demo world built on DuckDB and on Postgres gives the same warehouse.

Both builds run the real pipeline (dlt sources on loopback, enrichment, privacy with pseudonyms
and retention, dbt, Dagster) on the world up to a cutoff day. Then `raw`,
`intermediate.int_mentions`, every mart and every page query are compared key by key (floats
within a tolerance, wall-clock and dlt load columns left out); a failure names the first
differing rows. The last tests reveal the rest of the world, build both again (incrementally)
and compare again, then forget one author on both and compare once more: they run in file order
and change both warehouses, so they stay at the end of the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from core import privacy, sql_client
from core.config import EcouteConfig, load_config
from tests.conftest import DEMO_SEED, write_demo_config
from tests.postgres.conftest import C_LOCALE_DATABASE
from tests.postgres.parity import (
    WALL_CLOCK,
    differences,
    mart_keys,
    raw_keys,
    read_table,
    tables_of,
)
from tests.postgres.server import PostgresServer

pytestmark = pytest.mark.slow

PARITY_MENTIONS = 40
CUTOFF_DAY = 50
"""The first builds see the world up to this day: 26 of its 42 texts (the rest, the incident of
days 60-62 included, come with the incremental builds)."""
PSEUDONYM_KEY = "parity-pseudonym-key"
"""One key for both builds (each would otherwise create its own beside its warehouse)."""
KNOWN_DIFFERENCES: frozenset[str] = frozenset()


@dataclass
class Builds:
    duckdb: EcouteConfig
    postgres: EcouteConfig
    summaries: dict[str, Any]
    server: Any  # the demo server, revealing the world up to `cutoff` until told otherwise
    cutoff: datetime

    @property
    def configs(self) -> dict[str, EcouteConfig]:
        return {"duckdb": self.duckdb, "postgres": self.postgres}

    def build_both(self) -> dict[str, Any]:
        from orchestration.run import run_build

        return {e: run_build(c, say=lambda _: None) for e, c in self.configs.items()}


@pytest.fixture(scope="module")
def builds(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    from demo.server import serve_world
    from demo.world import generate_world
    from orchestration.run import run_build

    world = generate_world(seed=DEMO_SEED, mentions=PARITY_MENTIONS)
    cutoff = datetime.combine(world.start, datetime.min.time(), tzinfo=UTC) + timedelta(
        days=CUTOFF_DAY
    )
    configs: dict[str, EcouteConfig] = {}
    summaries: dict[str, Any] = {}
    # No password (trust on loopback); a database of locale C; one pseudonym key.
    environment = {
        "ECOUTE_POSTGRES_DSN": postgres.dsn(C_LOCALE_DATABASE),
        "ECOUTE_PSEUDONYM_KEY": PSEUDONYM_KEY,
    }
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        with serve_world(world, as_of=cutoff) as server:
            for engine in ("duckdb", "postgres"):
                folder = tmp_path_factory.mktemp(f"parity_{engine}")
                configs[engine] = _config(write_demo_config(folder, server.port), engine)
                summaries[engine] = run_build(configs[engine], say=lambda _: None)
            yield Builds(configs["duckdb"], configs["postgres"], summaries, server, cutoff)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _config(path: Path, engine: str) -> EcouteConfig:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["warehouse"]["engine"] = engine
    data["privacy"] = {**(data.get("privacy") or {}), "key_env": "ECOUTE_PSEUDONYM_KEY"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def _compare(builds: Builds, schema: str, keys: dict[str, tuple[str, ...]]) -> list[str]:
    left, right = tables_of(builds.duckdb, schema), tables_of(builds.postgres, schema)
    found = [f"{schema}: tables differ: {sorted(set(left) ^ set(right))}"] if left != right else []
    for table in sorted(set(left) & set(right)):
        a, b = read_table(builds.duckdb, schema, table), read_table(builds.postgres, schema, table)
        for copy in (a, b):
            kept = [i for i, c in enumerate(copy.columns) if c not in KNOWN_DIFFERENCES]
            copy.columns = [copy.columns[i] for i in kept]
            copy.types = [copy.types[i] for i in kept]
            copy.rows = [tuple(row[i] for i in kept) for row in copy.rows]
        found += differences(f"{schema}.{table}", a, b, keys.get(table))
    return found


def test_both_builds_succeed_and_report_counts(builds: Builds) -> None:
    duck, pg = builds.summaries["duckdb"], builds.summaries["postgres"]
    assert duck.ok, duck.failed_steps
    assert pg.ok, pg.failed_steps
    assert pg.marts and pg.loaded and pg.enriched, "the Postgres summary prints no counts"
    assert pg.marts == duck.marts
    assert pg.loaded == duck.loaded
    assert pg.enriched == duck.enriched


def test_raw_tables_match(builds: Builds) -> None:
    found = _compare(builds, "raw", raw_keys())
    assert not found, "\n".join(found)


def test_int_mentions_match(builds: Builds) -> None:
    a = read_table(builds.duckdb, "intermediate", "int_mentions")
    b = read_table(builds.postgres, "intermediate", "int_mentions")
    assert a.rows, "no mentions built"
    found = _int_mentions_differences(builds)
    assert not found, "\n".join(found)
    assert len(a.rows) == len(b.rows)


def _int_mentions_differences(builds: Builds) -> list[str]:
    found = _compare(builds, "intermediate", {"int_mentions": ("mention_id",)})
    return [line for line in found if line.startswith("intermediate.int_mentions:")]


def test_authors_are_pseudonymised_on_both(builds: Builds) -> None:
    """Privacy runs on both engines: the same pseudonyms, no clear handle but public accounts."""
    public = {name.lower() for name in builds.duckdb.privacy.public_accounts}
    for config in builds.configs.values():
        names = {n for (n,) in _rows(config, "select author_name from intermediate.int_mentions")}
        clear = {n for n in names if n and not n.startswith(privacy.PREFIX)}
        assert names - clear, f"{config.warehouse.engine}: no pseudonym"
        assert {n.lower() for n in clear} <= public, f"{config.warehouse.engine}: {clear}"
    found = _compare(builds, "privacy", {privacy.PSEUDONYMS: ("author_key",)})
    assert not found, "\n".join(found)


def _rows(config: EcouteConfig, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with sql_client.connect(config, read_only=True) as con:
        return con.execute(sql, params or [])


def test_every_mart_matches(builds: Builds) -> None:
    assert tables_of(builds.duckdb, "marts"), "no marts built"
    found = _compare(builds, "marts", mart_keys())
    assert not found, "\n".join(found)


def test_mart_column_types_match(builds: Builds) -> None:
    """The same column types on both engines (DuckDB's names mapped to Postgres')."""
    found = []
    for table in tables_of(builds.duckdb, "marts"):
        a = read_table(builds.duckdb, "marts", table)
        b = read_table(builds.postgres, "marts", table)
        for column, left, right in zip(a.columns, a.types, b.types, strict=False):
            if _type_family(left) != _type_family(right):
                found.append(f"marts.{table}.{column}: {left} (DuckDB) != {right} (Postgres)")
    assert not found, "\n".join(found)


def _type_family(name: str) -> str:
    name = name.lower()
    families = {
        "text": ("varchar", "text", "character varying"),
        "integer": ("bigint", "integer", "smallint", "hugeint", "int"),
        "float": ("double", "double precision", "real", "float", "numeric", "decimal"),
        "timestamptz": ("timestamp with time zone",),
        "timestamp": ("timestamp", "timestamp without time zone"),
        "boolean": ("boolean",),
        "date": ("date",),
    }
    for family, names in families.items():
        if name in names or name.split("(")[0] in names:
            return family
    return name


def test_page_queries_match(builds: Builds) -> None:
    """Every query the page runs gives the same frame on both engines."""
    found = _page_differences(builds)
    assert not found, "\n".join(found)


def _page_differences(builds: Builds) -> list[str]:
    from app import data

    readers = {engine: data.Reader(config) for engine, config in _configs(builds).items()}
    bounds = data.date_bounds(readers["duckdb"])
    assert bounds is not None and data.date_bounds(readers["postgres"]) == bounds
    start, end = bounds
    brands = data.brand_names(builds.duckdb)
    alert_ids = list(readers["duckdb"].query("select alert_id from marts.mart_alerts")["alert_id"])
    calls: list[tuple[str, Callable[[data.Reader], Any]]] = [
        ("newest_mention", data.newest_mention),
        ("source_coverage", lambda db: data.source_coverage(db, end)),
        ("daily", lambda db: data.daily(db, brands, start, end)),
        ("window_totals", lambda db: data.window_totals(db, start, end)),
        ("objectives_daily", lambda db: data.objectives_daily(db, start, end)),
        ("responsiveness", lambda db: data.responsiveness(db, brands, start, end)),
        ("baseline_daily", lambda db: data.baseline_daily(db, end)),
        ("weekly_share_of_voice", lambda db: data.weekly_share_of_voice(db, brands, start, end)),
        ("alerts", lambda db: data.alerts(db, brands, start, end)),
        ("stories", lambda db: data.stories(db, brands, start, end)),
        ("mentions", lambda db: data.mentions(db, brands, start, end)),
        ("composition", lambda db: data.composition(db, brands, start, end)),
        ("model_quality", data.model_quality),
        ("model_agreement", lambda db: data.model_agreement(db, brands)),
    ]
    for alert_id in alert_ids[:2]:
        calls.append(("alert_mentions", partial(data.alert_mentions, alert_id=alert_id)))
        calls.append(("main_story", partial(data.main_story, alert_id=alert_id)))
    found = []
    for name, call in calls:
        results = {}
        for engine, reader in readers.items():
            try:
                results[engine] = call(reader)
            except Exception as error:
                results[engine] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
        problem = _frame_difference(results["duckdb"], results["postgres"])
        if problem:
            found.append(f"{name}: {problem}")
    return found


def _configs(builds: Builds) -> dict[str, EcouteConfig]:
    return {"duckdb": builds.duckdb, "postgres": builds.postgres}


def _frame_difference(left: Any, right: Any) -> str | None:
    if not isinstance(left, pd.DataFrame) or not isinstance(right, pd.DataFrame):
        if isinstance(left, pd.DataFrame) or isinstance(right, pd.DataFrame):
            return f"DuckDB: {_short(left)}; Postgres: {_short(right)}"
        return None if _scalar(left) == _scalar(right) else f"{left!r} != {right!r}"
    drop = [c for c in left.columns if c in KNOWN_DIFFERENCES or c in WALL_CLOCK]
    left, right = left.drop(columns=drop), right.drop(columns=drop, errors="ignore")
    if list(left.columns) != list(right.columns) or len(left) != len(right):
        return f"shape {list(left.columns)}x{len(left)} != {list(right.columns)}x{len(right)}"
    ordered = [_sorted(frame) for frame in (left, right)]
    try:
        pd.testing.assert_frame_equal(*ordered, check_dtype=False, check_exact=False, rtol=1e-9)
    except AssertionError as error:
        return str(error).splitlines()[0] + " " + " ".join(str(error).splitlines()[1:6])
    return None


def _short(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return f"a frame of {len(value)} rows"
    return repr(value)


def _scalar(value: Any) -> Any:
    return pd.Timestamp(value).tz_convert("UTC") if hasattr(value, "tzinfo") else value


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    normal = frame.copy()
    for column in normal.columns:
        if isinstance(normal[column].dtype, pd.DatetimeTZDtype):
            normal[column] = normal[column].dt.tz_convert("UTC")
    keys = normal.apply(lambda row: "|".join(map(str, row)), axis=1)
    return normal.loc[keys.sort_values(kind="stable").index].reset_index(drop=True)


# --- the rest of the world, incrementally; then an erasure (these change both warehouses) ---


def _everything(builds: Builds) -> list[str]:
    return [
        *_compare(builds, "raw", raw_keys()),
        *_int_mentions_differences(builds),
        *_compare(builds, "marts", mart_keys()),
        *_compare(builds, "privacy", {privacy.PSEUDONYMS: ("author_key",)}),
        *_page_differences(builds),
    ]


def test_incremental_build_of_new_mentions_matches(builds: Builds) -> None:
    """New demo mentions (the days after the cutoff), then an incremental build on both."""
    before = len(_rows(builds.duckdb, "select mention_id from intermediate.int_mentions"))
    builds.server.set_as_of(None)
    summaries = builds.build_both()
    assert summaries["duckdb"].ok, summaries["duckdb"].failed_steps
    assert summaries["postgres"].ok, summaries["postgres"].failed_steps
    assert summaries["postgres"].loaded == summaries["duckdb"].loaded
    after = len(_rows(builds.postgres, "select mention_id from intermediate.int_mentions"))
    assert after > before, "the world after the cutoff brought no new mention"
    found = _everything(builds)
    assert not found, "\n".join(found)


def test_forget_matches(builds: Builds) -> None:
    """One author erased on both engines: the same rows gone from raw, enrichment and marts."""
    handles = _rows(
        builds.duckdb,
        "select author, count(*) from raw.web_comments where author is not null "
        "group by author order by 2 desc, 1 limit 1",
    )
    assert handles, "no comment author to forget"
    author = handles[0][0]
    done = {e: privacy.forget(c, author.upper()) for e, c in builds.configs.items()}
    assert done["duckdb"].rows == done["postgres"].rows
    assert done["postgres"].rows.get("raw.web_comments", 0) == handles[0][1]
    for config in builds.configs.values():
        assert not _rows(config, "select 1 from raw.web_comments where author = ?", [author])
    found = [
        *_compare(builds, "raw", raw_keys()),
        *_compare(builds, "enrichment", {}),
        *_compare(builds, "marts", mart_keys()),
        *_compare(builds, "privacy", {privacy.PSEUDONYMS: ("author_key",)}),
    ]
    assert not found, "\n".join(found)
