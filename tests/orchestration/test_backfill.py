"""Day partitions: a backfill of a range of days, from the CLI (`ecoute backfill`) and as the
Dagster UI launches it, rewrites the marts of those days in one run as a full build wrote them;
the definitions (job, partitions, schedule) load in `dagster definitions validate`."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import write_demo_config
from tests.orchestration.dagster_ui import BACKFILL_TAG, DagsterUI, dagster_ui
from tests.orchestration.processes import free_port

ECOUTE = [sys.executable, "-c", "from ecoute.cli import main; main()"]
# The incremental marts, their key, and the columns that record when a row was written.
MARTS = {
    "fct_mentions": "mention_id",
    "fct_brand_mentions": "brand_mention_id",
    "mart_brand_sentiment_daily": "brand || '|' || cast(day as varchar)",
}
DAY_COLUMN = {
    "fct_mentions": "published_date",
    "fct_brand_mentions": "published_date",
    "mart_brand_sentiment_daily": "day",
}
WRITE_TIME = {"refreshed_at", "last_refreshed_at", "enriched_at"}
# A bound, not a measure: the UI's run loads the definitions and runs dbt (with its unit tests).
BACKFILL_SECONDS = 900


def ecoute(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ECOUTE_CONFIG")}
    return subprocess.run(
        [*ECOUTE, *args], capture_output=True, text=True, env=env, timeout=1200, check=False
    )


def rows_of_days(
    con: duckdb.DuckDBPyConnection, first: date, last: date
) -> dict[str, dict[str, tuple]]:
    """Each incremental mart's rows of the days first..last, by key, without write times."""
    found = {}
    for table, key in MARTS.items():
        described = con.execute(f"describe marts.{table}").fetchall()
        columns = [c[0] for c in described if c[0] not in WRITE_TIME]
        rows = con.execute(
            f"select {key}, {', '.join(columns)} from marts.{table} "
            f"where {DAY_COLUMN[table]} between ? and ?",
            [first, last],
        ).fetchall()
        # Averages summed in another order differ in the last bits: compare floats to 1e-9.
        found[table] = {
            str(row[0]): tuple(round(v, 9) if isinstance(v, float) else v for v in row[1:])
            for row in rows
        }
    return found


@dataclass
class Built:
    """A demo warehouse built once by `ecoute run`, the days to backfill and what they hold."""

    config_file: Path
    warehouse: Path
    first: date
    last: date
    outside: date  # a day after the window, which a backfill of first..last must leave alone
    full: dict[str, dict[str, tuple]]  # the window's mart rows as the full build wrote them


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One build for both backfills (the CLI's and the UI's): each spoils the window's rows, runs
    its backfill and must find the full build's rows again."""
    folder = tmp_path_factory.mktemp("backfill")
    config_file = write_demo_config(folder, free_port(), mentions=300)
    done = ecoute("run", "--config", str(config_file))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    warehouse = folder / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        busiest = con.execute(
            "select published_date from marts.fct_mentions group by 1 "
            "order by count(*) desc, 1 limit 1"
        ).fetchone()
        assert busiest is not None
        first = busiest[0]
        last = first + timedelta(days=2)
        after = con.execute(
            "select max(published_date) from marts.fct_mentions where published_date > ?",
            [last + timedelta(days=1)],
        ).fetchone()
        assert after is not None and after[0] is not None
        full = rows_of_days(con, first, last)
    assert full["fct_mentions"] and full["mart_brand_sentiment_daily"]
    return Built(config_file, warehouse, first, last, after[0], full)


def spoil(built: Built) -> None:
    """Rows gone wrong in the marts (a fix to re-apply, a bad write) in the window and on the day
    outside it: nothing new is loaded, so a plain build would leave them; a backfill of the window
    rewrites its days. (An enrichment column: fct_mentions compares the deduplication's columns
    with its own on every run.)"""
    with duckdb.connect(str(built.warehouse)) as con:
        con.execute(
            "update marts.fct_mentions set lang = 'stale' "
            "where published_date between ? and ? or published_date = ?",
            [built.first, built.last, built.outside],
        )
        con.execute(
            "update marts.mart_brand_sentiment_daily set mentions = mentions + 1000 "
            "where day between ? and ?",
            [built.first, built.last],
        )


def rewritten_as_built(built: Built) -> None:
    """The window's rows are the full build's again; the day outside kept its spoiled rows (the
    run was a window, not a full rebuild)."""
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        assert rows_of_days(con, built.first, built.last) == built.full
        (stale,) = con.execute(
            "select count(*) from marts.fct_mentions where lang = 'stale' and published_date = ?",
            [built.outside],
        ).fetchone() or (0,)
    assert stale > 0


@pytest.mark.slow
def test_backfill_of_some_days_rebuilds_their_rows_as_a_full_build(built: Built) -> None:
    spoil(built)
    window = ("--from", built.first.isoformat(), "--to", built.last.isoformat())
    backfill = ecoute("backfill", *window, "--config", str(built.config_file))
    assert backfill.returncode == 0, backfill.stdout[-3000:] + backfill.stderr[-3000:]
    rewritten_as_built(built)

    refused = ecoute(
        "backfill", "--from", "1999-01-01", "--to", "1999-01-02", "--config", str(built.config_file)
    )
    assert refused.returncode != 0 and "not a day partition" in refused.stdout + refused.stderr


def single_run(ui: DagsterUI, backfill_id: str, days: list[str]) -> None:
    """The backfill made one successful run on DuckDB (its policy: one run over the range),
    tagged with the backfill's id and the range."""
    runs = ui.runs_of(backfill_id)
    assert len(runs) == 1, runs
    (run,) = runs
    assert run["status"] == "SUCCESS", ui.report(backfill_id)
    assert run["tags"][BACKFILL_TAG] == backfill_id
    assert run["tags"]["dagster/asset_partition_range_start"] == days[0]
    assert run["tags"]["dagster/asset_partition_range_end"] == days[-1]


@pytest.mark.slow
def test_a_backfill_launched_from_the_ui_rewrites_its_days_as_a_full_build(
    built: Built, tmp_path: Path
) -> None:
    """The asset graph's backfill dialog's GraphQL mutation, sent to a real webserver (`ecoute
    ui`), run by the real daemon (the backfill daemon submits the run, the run queue launches it)
    on the project's definitions and instance."""
    days = [
        str(built.first + timedelta(days=n)) for n in range((built.last - built.first).days + 1)
    ]
    with dagster_ui(built.config_file, tmp_path / "ui.log") as ui:
        nodes = ui.asset_nodes()
        partitioned = sorted(key for key, node in nodes.items() if node["isPartitioned"])
        # The marts' dbt step is the day-partitioned unit; sources and enrichment are not.
        assert ("marts", "fct_mentions") in partitioned
        assert not nodes[("raw", "web_pages")]["isPartitioned"]
        assert all(nodes[key]["opNames"] == ["dbt_after_enrichment"] for key in partitioned)
        assert {nodes[key]["partitionDefinition"]["type"] for key in partitioned} == {"TIME_WINDOW"}

        # The asset graph: the day-partitioned assets selected, the window's days chosen.
        spoil(built)
        backfill_id = ui.launch_asset_backfill(partitioned, days)
        status = ui.wait_for_backfill(backfill_id, BACKFILL_SECONDS)
        assert status == "COMPLETED_SUCCESS", f"backfill {status}\n" + ui.report(backfill_id)
        single_run(ui, backfill_id, days)
    rewritten_as_built(built)


@pytest.mark.slow
def test_dagster_definitions_validate(tmp_path: Path) -> None:
    config_file = write_demo_config(tmp_path, port=1)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"},
        "ECOUTE_CONFIG": str(config_file),
    }
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
