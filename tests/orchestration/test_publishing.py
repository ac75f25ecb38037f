"""The serving copy is copied again only when the marts may have changed since the last publish."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from core import publish, warehouse
from core.config import EcouteConfig, parse_config
from orchestration.lib import publishing


@pytest.fixture
def cfg(tmp_path: Path) -> EcouteConfig:
    data = {
        "project": {"name": "t"},
        "brands": [{"name": "A"}],
        "warehouse": {"path": "build.duckdb", "serving_path": "serving.duckdb"},
    }
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("create schema marts; create table marts.m as select range as x from range(3)")
    con.close()
    return parse_config(data, base_dir=tmp_path)


def _build_sql(tmp_path: Path, sql: str) -> None:
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute(sql)
    con.close()


def _served(cfg: EcouteConfig) -> list[int]:
    con = duckdb.connect(str(warehouse.serving_path(cfg)), read_only=True)
    try:
        return [row[0] for row in con.execute("select x from marts.m order by x").fetchall()]
    finally:
        con.close()


def test_a_build_that_changed_no_mart_only_stamps_the_copy(cfg, tmp_path):
    target = tmp_path / "dbt"
    publishing.begin_generation(target)
    assert publishing.publish(cfg, target) is True
    serving = warehouse.serving_path(cfg)
    inode = serving.stat().st_ino
    before = publish.published_at(cfg)
    time.sleep(0.01)
    assert publishing.publish(cfg, target) is False
    assert serving.stat().st_ino == inode  # the same file: nothing copied
    after = publish.published_at(cfg)
    assert before is not None and after is not None and after > before  # "last build" moves
    assert publishing.publish(cfg, target) is False  # its own stamp is no change either


def test_a_dbt_build_publishes_even_when_the_counts_are_the_same(cfg, tmp_path):
    target = tmp_path / "dbt"
    publishing.begin_generation(target)
    publishing.publish(cfg, target)
    publishing.begin_generation(target)  # dbt ran (even killed halfway): the marts may differ
    _build_sql(tmp_path, "update marts.m set x = x + 10")
    assert publishing.publish(cfg, target) is True
    assert _served(cfg) == [10, 11, 12]


def test_rows_deleted_outside_dbt_are_published(cfg, tmp_path):
    target = tmp_path / "dbt"
    publishing.publish(cfg, target)
    _build_sql(tmp_path, "delete from marts.m where x = 1")  # as `ecoute forget` does
    assert publishing.publish(cfg, target) is True
    assert _served(cfg) == [0, 2]


def test_a_copy_removed_or_replaced_by_hand_is_published_again(cfg, tmp_path):
    target = tmp_path / "dbt"
    publishing.publish(cfg, target)
    serving = warehouse.serving_path(cfg)
    serving.unlink()
    assert publishing.publish(cfg, target) is True
    assert _served(cfg) == [0, 1, 2]
    con = duckdb.connect(str(serving))
    con.execute("delete from marts.m")
    con.close()
    assert publishing.publish(cfg, target) is True
    assert _served(cfg) == [0, 1, 2]


def test_a_lost_or_broken_record_publishes(cfg, tmp_path):
    target = tmp_path / "dbt"
    publishing.publish(cfg, target)
    (target / publishing.RECORD_FILE).write_text("{half")
    assert publishing.publish(cfg, target) is True
    (target / publishing.RECORD_FILE).unlink()
    assert publishing.publish(cfg, target) is True
    assert publishing.publish(cfg, target) is False
