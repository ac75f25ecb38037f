"""The dbt steps' input fingerprint: a table that only gained rows adds their digest to the stored
one (new data costs what it holds); anything else reads the table whole again."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.config import load_config
from orchestration.lib import dbt_inputs
from tests.conftest import write_demo_config

TABLE = "raw.posts"


@pytest.fixture
def config(tmp_path: Path):
    config = load_config(write_demo_config(tmp_path, port=1))
    _write(
        config,
        "create schema raw",
        f"create table {TABLE} (id integer, text varchar, _dlt_load_id varchar)",
        f"insert into {TABLE} values (1, 'a', '1.1'), (2, 'b', '1.1')",
    )
    return config


def _write(config, *statements: str) -> None:
    con = duckdb.connect(str(config.warehouse.path))
    for statement in statements:
        con.execute(statement)
    con.close()


def _state(config, known: dict) -> list:
    return dbt_inputs.table_states(config, ("raw",), known)[TABLE]


def test_a_table_that_only_gained_rows_adds_their_digest_to_the_stored_one(config) -> None:
    first = _state(config, {})
    _write(config, f"insert into {TABLE} values (3, 'c', '2.2')")
    assert _state(config, {TABLE: first}) == _state(config, {}), "the same digest as a full read"
    # The stored digest is trusted and only the new load's rows are read: a stored digest off by
    # 1000 stays off by 1000.
    shifted = [first[0], first[1], str(int(first[2]) + 1000)]
    assert int(_state(config, {TABLE: shifted})[2]) == int(_state(config, {})[2]) + 1000


@pytest.mark.parametrize(
    "change",
    [
        # a merge replaces row 2 (same key, new text, new load id): one new row, count unchanged
        (f"delete from {TABLE} where id = 2", f"insert into {TABLE} values (2, 'B', '2.2')"),
        # a row erased and another loaded: the count matches neither way
        (f"delete from {TABLE} where id = 1", f"insert into {TABLE} values (3, 'c', '2.2')"),
        # rows erased only
        (f"delete from {TABLE} where id = 1",),
    ],
)
def test_a_table_that_lost_or_replaced_rows_is_read_whole(config, change) -> None:
    first = _state(config, {})
    _write(config, *change)
    shifted = [first[0], first[1], str(int(first[2]) + 1000)]
    assert _state(config, {TABLE: shifted}) == _state(config, {}), "the stored digest was not used"


def test_an_identical_re_merge_leaves_the_digest_unchanged(config) -> None:
    first = _state(config, {})
    _write(
        config,
        f"delete from {TABLE} where id = 2",
        f"insert into {TABLE} values (2, 'b', '2.2')",
    )
    after = _state(config, {TABLE: first})
    assert after[1] == "2.2"
    assert dbt_inputs.unchanged({"tables": {TABLE: after}}, {"tables": {TABLE: first}})
