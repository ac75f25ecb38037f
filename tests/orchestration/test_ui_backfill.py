"""A backfill of day partitions launched as the Dagster UI launches it: the asset graph's backfill
dialog's GraphQL mutation, sent to a real webserver (`ecoute ui`), executed by the real daemon (the
backfill daemon submits the run, the run queue launches it) on the project's definitions and
instance; its marts' rows of those days equal what `ecoute backfill` wrote."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import write_demo_config
from tests.orchestration.dagster_ui import BACKFILL_TAG, DagsterUI, dagster_ui
from tests.orchestration.processes import free_port
from tests.orchestration.test_backfill import ecoute, rows_of_days

MENTIONS = 300
# A bound, not a measure: the run loads the definitions and runs dbt (with its unit tests).
BACKFILL_SECONDS = 900


def busiest_days(config_file: Path) -> tuple[date, date]:
    """The demo world's busiest day and the next: two days holding mentions (copies of a story
    posted on both days included)."""
    from core.config import load_config
    from demo.world import generate_world

    demo = load_config(str(config_file)).demo
    assert demo is not None
    world = generate_world(seed=demo.seed, mentions=demo.mentions, days=demo.days, start=demo.start)
    counts = Counter(post.published_at.date() for post in world.truth.posts.values())
    first = max(sorted(counts), key=lambda day: counts[day])
    return first, first + timedelta(days=1)


def spoil(warehouse: Path, first: date, last: date) -> date:
    """Write wrong values into the incremental marts' rows of first..last and of one day after
    them (which a backfill of first..last must leave as it is); returns that day."""
    con = duckdb.connect(str(warehouse))
    try:
        found = con.execute(
            "select max(published_date) from marts.fct_mentions where published_date > ?",
            [last + timedelta(days=1)],
        ).fetchone()
        assert found is not None and found[0] is not None
        outside: date = found[0]
        con.execute(
            "update marts.fct_mentions set lang = 'stale' "
            "where published_date between ? and ? or published_date = ?",
            [first, last, outside],
        )
        con.execute(
            "update marts.mart_brand_sentiment_daily set mentions = mentions + 1000 "
            "where day between ? and ?",
            [first, last],
        )
    finally:
        con.close()
    return outside


def single_run(ui: DagsterUI, backfill_id: str, days: list[str]) -> dict[str, Any]:
    """The one successful run of a backfill over `days` on DuckDB (its policy: one run over the
    range), tagged with the backfill's id and the range."""
    runs = ui.runs_of(backfill_id)
    assert len(runs) == 1, runs
    (run,) = runs
    assert run["status"] == "SUCCESS", ui.report(backfill_id)
    assert run["tags"][BACKFILL_TAG] == backfill_id
    assert run["tags"]["dagster/asset_partition_range_start"] == days[0]
    assert run["tags"]["dagster/asset_partition_range_end"] == days[-1]
    return run


def backfilled(ui: DagsterUI, backfill_id: str) -> None:
    """Wait for the daemon to finish the backfill; it must have succeeded."""
    status = ui.wait_for_backfill(backfill_id, BACKFILL_SECONDS)
    assert status == "COMPLETED_SUCCESS", f"backfill {status}\n" + ui.report(backfill_id)


@pytest.mark.slow
def test_a_backfill_launched_from_the_ui_rewrites_its_days_as_the_cli_does(tmp_path: Path) -> None:
    config_file = write_demo_config(tmp_path, free_port(), mentions=MENTIONS)
    warehouse = tmp_path / "warehouse.duckdb"
    first, last = busiest_days(config_file)
    days = [first.isoformat(), last.isoformat()]

    # The first build is the CLI's backfill of those days: what the UI's must write again.
    cli = ecoute("backfill", "--from", days[0], "--to", days[-1], "--config", str(config_file))
    assert cli.returncode == 0, cli.stdout[-3000:] + cli.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        by_cli = rows_of_days(con, first, last)
    assert by_cli["fct_mentions"] and by_cli["mart_brand_sentiment_daily"]

    with dagster_ui(config_file, tmp_path / "ui.log") as ui:
        nodes = ui.asset_nodes()
        partitioned = sorted(key for key, node in nodes.items() if node["isPartitioned"])
        # The marts' dbt step is the day-partitioned unit; sources and enrichment are not.
        assert ("marts", "fct_mentions") in partitioned
        assert not nodes[("raw", "web_pages")]["isPartitioned"]
        assert all(nodes[key]["opNames"] == ["dbt_after_enrichment"] for key in partitioned)
        assert {nodes[key]["partitionDefinition"]["type"] for key in partitioned} == {"TIME_WINDOW"}

        # The asset graph: the day-partitioned assets selected, two days chosen.
        outside = spoil(warehouse, first, last)
        backfill_id = ui.launch_asset_backfill(partitioned, days)
        backfilled(ui, backfill_id)
        single_run(ui, backfill_id, days)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert rows_of_days(con, first, last) == by_cli
            # A window, not a full rebuild: a day after it keeps its spoiled rows.
            (stale,) = con.execute(
                "select count(*) from marts.fct_mentions "
                "where lang = 'stale' and published_date = ?",
                [outside],
            ).fetchone() or (0,)
        assert stale > 0
