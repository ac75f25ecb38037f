"""Day partitions: `ecoute backfill` rebuilds the marts of a range of days in one run, and the
definitions (job, partitions, schedule) load in `dagster definitions validate`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import write_demo_config
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


@pytest.mark.slow
def test_backfill_of_some_days_rebuilds_their_rows_as_a_full_build(tmp_path: Path) -> None:
    config_file = write_demo_config(tmp_path, free_port(), mentions=300)
    built = ecoute("run", "--config", str(config_file))
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    warehouse = tmp_path / "warehouse.duckdb"

    con = duckdb.connect(str(warehouse))
    try:
        busiest = con.execute(
            "select published_date from marts.fct_mentions group by 1 "
            "order by count(*) desc, 1 limit 1"
        ).fetchone()
        assert busiest is not None
        first = busiest[0]
        last = first + timedelta(days=2)
        outside = con.execute(
            "select max(published_date) from marts.fct_mentions where published_date > ?",
            [last + timedelta(days=1)],
        ).fetchone()
        assert outside is not None and outside[0] is not None
        full = rows_of_days(con, first, last)
        assert full["fct_mentions"] and full["mart_brand_sentiment_daily"]
        # Rows gone wrong in the marts (a fix to re-apply, a bad write): nothing new was loaded,
        # so a plain build leaves them; a backfill of their days rewrites them. (An enrichment
        # column: fct_mentions compares the deduplication's columns with its own on every run.)
        con.execute(
            "update marts.fct_mentions set lang = 'stale' "
            "where published_date between ? and ? or published_date = ?",
            [first, last, outside[0]],
        )
        con.execute(
            "update marts.mart_brand_sentiment_daily set mentions = mentions + 1000 "
            "where day between ? and ?",
            [first, last],
        )
    finally:
        con.close()

    backfill = ecoute(
        "backfill", "--from", first.isoformat(), "--to", last.isoformat(),
        "--config", str(config_file),
    )  # fmt: skip
    assert backfill.returncode == 0, backfill.stdout[-3000:] + backfill.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert rows_of_days(con, first, last) == full
        # The run was a window, not a full rebuild: a day outside it keeps what was there.
        (stale,) = con.execute(
            "select count(*) from marts.fct_mentions where lang = 'stale'"
        ).fetchone() or (0,)
    finally:
        con.close()
    assert stale > 0

    refused = ecoute(
        "backfill", "--from", "1999-01-01", "--to", "1999-01-02", "--config", str(config_file)
    )
    assert refused.returncode != 0 and "not a day partition" in refused.stdout + refused.stderr


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
