"""The Postgres engine's plumbing on a throwaway server: password-less DSN, UTC, state, no data,
the published `serving` schema and `ecoute sql` on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from core import publish, sql_client, warehouse
from core.config import EcouteConfig, load_config
from core.loading import make_pipeline, pipelines_dir
from core.marts import Marts, NoData
from tests.conftest import write_demo_config
from tests.postgres.server import PostgresServer

pytestmark = pytest.mark.slow


def _config(folder: Path, engine: str) -> EcouteConfig:
    path = write_demo_config(folder, 8765)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["warehouse"]["engine"] = engine
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def pg_config(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> EcouteConfig:
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", postgres.dsn("ecoute"))
    monkeypatch.delenv("ECOUTE_POSTGRES_PASSWORD", raising=False)
    return _config(tmp_path, "postgres")


def test_server_listens_on_loopback_only(pg_config: EcouteConfig) -> None:
    with sql_client.connect(pg_config, read_only=True) as con:
        assert con.execute("show listen_addresses") == [("127.0.0.1",)]


def test_password_less_dsn_loads_through_dlt_in_utc(pg_config: EcouteConfig) -> None:
    stamp = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    pipeline = make_pipeline(pg_config, "probe", dataset="probe")
    pipeline.run([{"id": "é", "at": stamp}], table_name="rows")
    with sql_client.connect(pg_config, read_only=True) as con:
        assert con.execute("show timezone") == [("UTC",)]
        assert con.execute("select id, at from probe.rows where id = ?", ["é"]) == [("é", stamp)]
        assert con.execute("select cast(at as text) from probe.rows") == [
            ("2025-01-06 08:00:00+00",)
        ]


def test_state_is_kept_per_engine_and_database(pg_config: EcouteConfig, tmp_path: Path) -> None:
    duck = _config(tmp_path, "duckdb")
    assert pipelines_dir(pg_config) != pipelines_dir(duck)
    assert warehouse.state_dir(pg_config) != warehouse.state_dir(duck)
    assert warehouse.state_dir(pg_config).parent.parent == warehouse.state_dir(duck)


def test_marts_reader_says_no_data_before_a_build(pg_config: EcouteConfig) -> None:
    with pytest.raises(NoData):
        Marts(pg_config).query("select * from marts.mart_alerts")


def _probe_marts(config: EcouteConfig, value: float) -> None:
    """The build's `marts` holding one small commented table with `value`."""
    with sql_client.connect(config) as con:
        con.execute("create schema if not exists marts")
        con.execute("drop table if exists marts.probe")
        con.execute("create table marts.probe (n numeric)")
        con.execute("insert into marts.probe values (?)", [value])
        con.execute("comment on table marts.probe is 'A probe.'")
        con.execute("comment on column marts.probe.n is 'A number.'")


@pytest.fixture
def published(pg_config: EcouteConfig) -> Iterator[EcouteConfig]:
    _probe_marts(pg_config, 1.5)
    publish.publish_serving(pg_config)
    yield pg_config
    with sql_client.connect(pg_config) as con:
        con.execute("drop schema if exists marts cascade")
        con.execute(f"drop schema if exists {warehouse.PUBLISHED_SCHEMA} cascade")


def test_marts_reader_reads_the_published_copy_read_only(published: EcouteConfig) -> None:
    frame = Marts(published).query("select n from marts.probe where n > ?", [1])
    assert frame["n"].tolist() == [1.5]
    assert isinstance(frame["n"].iloc[0], float)
    with pytest.raises(Exception, match="read-only"):
        Marts(published).query("insert into marts.probe values (2)")
    _probe_marts(published, 9.0)  # the build moves on; readers keep the published copy
    assert Marts(published).query("select n from marts.probe")["n"].tolist() == [1.5]


def test_publish_swaps_the_serving_schema_in_one_transaction(published: EcouteConfig) -> None:
    """While a reader holds the old copy, the publish waits (a bounded time per attempt, so other
    readers still get the old copy); once the reader is done, everyone sees the whole new one."""
    first = publish.published_at(published)
    assert first is not None
    _probe_marts(published, 2.5)
    reader = sql_client.postgres_connect(published)
    reader.set_session(autocommit=False)
    done = threading.Event()

    def publish_in_background() -> None:
        publish.publish_serving(published)
        done.set()

    publisher = threading.Thread(target=publish_in_background)
    try:
        with reader.cursor() as cursor:
            cursor.execute("select n from serving.probe")  # holds the table until commit
            publisher.start()
            time.sleep(publish.PUBLISH_LOCK_TIMEOUT_MS / 1000 * 1.5)
            assert not done.is_set(), "the swap did not wait for the reader"
            started = time.monotonic()
            assert Marts(published).query("select n from marts.probe")["n"].tolist() == [1.5]
            assert time.monotonic() - started < publish.PUBLISH_LOCK_TIMEOUT_MS / 1000 * 2
            assert not done.is_set()
        reader.commit()
        publisher.join(timeout=30)
    finally:
        reader.close()
    assert done.is_set()
    assert Marts(published).query("select n from marts.probe")["n"].tolist() == [2.5]
    later = publish.published_at(published)
    assert later is not None and later > first
    with sql_client.connect(published, read_only=True) as con:
        assert con.execute(
            "select obj_description('serving.probe'::regclass, 'pg_class'), "
            "col_description('serving.probe'::regclass, 1)"
        ) == [("A probe.", "A number.")]
        assert not con.execute("select 1 from pg_namespace where nspname = 'serving_next'")


def test_ecoute_sql_reads_the_published_schema(published: EcouteConfig) -> None:
    from click.testing import CliRunner

    from ecoute.cli import cli

    def sql(*args: str, stdin: str | None = None) -> Any:
        command = ["sql", "--config", str(published.source_file), *args]
        return CliRunner().invoke(cli, command, input=stdin)

    result = sql("--format", "csv", "select n, 'marts.probe' as t from marts.probe")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n,t", "1.5,marts.probe"]
    for statement, message in [
        ("insert into marts.probe values (3)", "INSERT"),
        ("set default_transaction_read_only = off", "SET"),
        ("select 1; commit", "TRANSACTION"),
        ("copy marts.probe to stdout", "COPY"),
        ("select * from marts.absent", "does not exist"),
    ]:
        refused = sql(statement)
        assert refused.exit_code == 1 and message in refused.output, (statement, refused.output)
    session = sql(stdin="select count(*) as n from marts.probe;\ndrop table marts.probe;\n")
    assert session.exit_code == 0 and "1" in session.output and "DROP" in session.output
    assert Marts(published).query("select n from marts.probe")["n"].tolist() == [1.5]


def test_a_build_that_changed_no_mart_only_stamps_the_published_schema(
    published: EcouteConfig, tmp_path: Path
) -> None:
    from orchestration.lib import publishing

    target = tmp_path / "dbt"
    assert publishing.publish(published, target) is True  # no record of this copy yet
    before = publish.published_at(published)
    assert publishing.publish(published, target) is False
    after = publish.published_at(published)
    assert before is not None and after is not None and after > before
    with sql_client.connect(published) as con:
        con.execute("insert into marts.probe values (2)")
    assert publishing.publish(published, target) is True
    assert sorted(Marts(published).query("select n from marts.probe")["n"].tolist()) == [1.5, 2]
