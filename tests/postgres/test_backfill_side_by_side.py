"""`ecoute backfill` on Postgres: day partitions rebuilt by runs side by side equal one build.

A demo world is built once on Postgres (one sequential whole build: the reference marts). The
day-scoped marts of a few days are then spoilt and those days backfilled: one run per day, in
processes of their own, then one whole build. The days include both days of a story group whose
copies fall on two of them, so two runs rewrite the same `fct_mentions` rows. While the runs
start, the test holds `fct_mentions`' write lock (the one its pre-hook takes): the backfill goes
on only once two runs wait on it together, which proves they overlap, and they then write that
model one after the other. Every mart must then equal the reference key by key (floats within
1e-9, write times left out), and no mart may hold a key twice.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml

from core import sql_client
from core.config import EcouteConfig, load_config
from tests.conftest import DEMO_SEED, write_demo_config
from tests.postgres.parity import Table, differences, mart_keys, read_table, tables_of
from tests.postgres.server import PostgresServer, execute

pytestmark = pytest.mark.slow

DATABASE = "side_by_side"
MENTIONS = 300
# What the pre-hook of fct_mentions locks (`macros/concurrent_writes.sql`).
MODEL_LOCK = "hashtext('ecoute model writes'), hashtext('marts.fct_mentions')"
# A bound on the wait for the runs, not a measure: past it the test fails and says why.
LONGEST_WAIT_SECONDS = 900


@dataclass
class Built:
    config: EcouteConfig
    reference: dict[str, Table]


@pytest.fixture(scope="module")
def built(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from demo.server import serve_world
    from demo.world import generate_world
    from orchestration.run import run_build

    execute(postgres, f'create database "{DATABASE}"')
    previous = os.environ.get("ECOUTE_POSTGRES_DSN")
    os.environ["ECOUTE_POSTGRES_DSN"] = postgres.dsn(DATABASE)  # read by the runs' processes too
    try:
        with serve_world(generate_world(seed=DEMO_SEED, mentions=MENTIONS)) as server:
            folder = tmp_path_factory.mktemp("side_by_side")
            config = _postgres_config(write_demo_config(folder, server.port, MENTIONS))
            summary = run_build(config, say=lambda _: None)
            assert summary.ok, summary.failed_steps
            reference = {t: read_table(config, "marts", t) for t in tables_of(config, "marts")}
            yield Built(config, reference)
    finally:
        if previous is None:
            os.environ.pop("ECOUTE_POSTGRES_DSN", None)
        else:
            os.environ["ECOUTE_POSTGRES_DSN"] = previous


def _postgres_config(path: Path) -> EcouteConfig:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["warehouse"]["engine"] = "postgres"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def _rows(config: EcouteConfig, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with sql_client.connect(config, read_only=True) as con:
        return con.execute(sql, params or [])


def _days_of_a_story_across_days(config: EcouteConfig) -> tuple[date, date]:
    """The first and last day of the story group spanning the fewest days (two or more)."""
    found = _rows(
        config,
        "select min(published_date), max(published_date) from marts.fct_mentions "
        "where near_key is not null group by near_key "
        "having count(distinct published_date) > 1 order by max(published_date) - "
        "min(published_date), min(published_date) limit 1",
    )
    assert found, "no story group with copies on two days: nothing for two runs to share"
    first, last = found[0]
    return first, last


def _spoil(config: EcouteConfig, first: date, last: date) -> None:
    """Rows gone wrong in the day-scoped marts of the days (a plain build would leave them)."""
    with sql_client.connect(config) as con:
        con.execute(
            "update marts.fct_mentions set lang = 'stale' where published_date between ? and ?",
            [first, last],
        )
        con.execute(
            "update marts.mart_brand_sentiment_daily set mentions = mentions + 1000 "
            "where day between ? and ?",
            [first, last],
        )


def _waiters(holder: Any) -> int:
    """How many sessions wait for the advisory lock `holder` holds."""
    with holder.cursor() as cursor:
        cursor.execute(
            "select count(distinct waiting.pid) from pg_locks as held "
            "join pg_locks as waiting on waiting.locktype = held.locktype "
            "and waiting.classid = held.classid and waiting.objid = held.objid "
            "and waiting.objsubid = held.objsubid "
            "where held.locktype = 'advisory' and held.pid = pg_backend_pid() and held.granted "
            "and not waiting.granted"
        )
        return int(cursor.fetchone()[0])


def test_days_rebuilt_side_by_side_equal_one_sequential_build(built: Built) -> None:
    from orchestration.partition_runs import DAY_RUN_TAG, backfill
    from orchestration.run import dagster_home

    config = built.config
    first, last = _days_of_a_story_across_days(config)
    _spoil(config, first, last)

    holder = sql_client.postgres_connect(config)
    with holder.cursor() as cursor:
        cursor.execute(f"select pg_advisory_lock({MODEL_LOCK})")
    outcome: dict[str, Any] = {}

    def run_backfill() -> None:
        try:
            outcome["summary"] = backfill(config, (first, last), say=lambda _: None)
        except BaseException as error:  # reported by the test below
            outcome["error"] = error

    runner = threading.Thread(target=run_backfill)
    runner.start()
    most_waiting = 0
    try:
        deadline = time.monotonic() + LONGEST_WAIT_SECONDS
        while runner.is_alive() and most_waiting < 2 and time.monotonic() < deadline:
            most_waiting = max(most_waiting, _waiters(holder))
            time.sleep(0.2)
    finally:
        holder.close()  # releases the lock: the waiting runs write fct_mentions one by one
        runner.join(LONGEST_WAIT_SECONDS)
    assert not runner.is_alive(), "the backfill did not end"
    assert "error" not in outcome, outcome.get("error")
    assert most_waiting >= 2, f"runs never waited on fct_mentions together ({most_waiting})"
    summary = outcome["summary"]
    assert summary.ok, summary.failed_steps

    # The days' runs, from the Dagster instance: one success per day, two of them overlapping.
    with dg.DagsterInstance.from_config(str(dagster_home(config))) as instance:
        day_runs = [r for r in instance.get_run_records() if DAY_RUN_TAG in r.dagster_run.tags]
    assert all(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in day_runs)
    days = sorted(r.dagster_run.tags[DAY_RUN_TAG] for r in day_runs)
    assert days == [first.isoformat(), *days[1:-1], last.isoformat()]
    assert len(set(days)) == len(days) == (last - first).days + 1
    times = [(r.start_time, r.end_time) for r in day_runs]
    intervals = sorted((s, e) for s, e in times if s is not None and e is not None)
    assert len(intervals) == len(day_runs), times  # every day's run started and ended
    assert any(b[0] < a[1] for a, b in itertools.pairwise(intervals)), intervals

    keys = mart_keys()
    found: list[str] = []
    for table, reference in built.reference.items():
        found += differences(
            f"marts.{table}", reference, read_table(config, "marts", table), keys.get(table)
        )
    assert not found, "\n".join(found)
    assert set(tables_of(config, "marts")) == set(built.reference)
    for table in built.reference:
        key = keys.get(table)
        if key:
            listed = ", ".join(key)
            ((rows, distinct),) = _rows(
                config,
                f"select count(*), count(distinct ({listed})) from marts.{table}"
                if len(key) > 1
                else f"select count(*), count(distinct {listed}) from marts.{table}",
            )
            assert rows == distinct, f"marts.{table}: {rows - distinct} duplicate keys"
    assert not _rows(config, "select 1 from marts.fct_mentions where lang = 'stale'")
