"""The Postgres engine's plumbing on a throwaway server: password-less DSN, UTC, state, no data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from core import sql_client, warehouse
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


def test_marts_reader_is_read_only(pg_config: EcouteConfig) -> None:
    with sql_client.connect(pg_config) as con:
        con.execute("create schema if not exists marts")
        con.execute("create table if not exists marts.probe (n numeric)")
        con.execute("insert into marts.probe values (1.5)")
    frame = Marts(pg_config).query("select n from marts.probe where n > ?", [1])
    assert frame["n"].tolist() == [1.5]
    assert isinstance(frame["n"].iloc[0], float)
    with pytest.raises(Exception, match="read-only"):
        Marts(pg_config).query("insert into marts.probe values (2)")
    with sql_client.connect(pg_config) as con:
        con.execute("drop schema marts cascade")
