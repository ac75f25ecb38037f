"""The serving copy's connection reads the marts and nothing else: no files, no other databases,
no extensions, no settings changed from inside a statement."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core import serving
from core.config import parse_config
from core.marts import Marts, NoData


def config_for(folder: Path, serving_path: str = "serving.duckdb", **limits):
    data = {
        "project": {"name": "t"},
        "brands": [{"name": "Nuage"}],
        "warehouse": {"path": "build.duckdb", "serving_path": serving_path, **limits},
    }
    return parse_config(data, base_dir=folder)


@pytest.fixture
def config(tmp_path: Path):
    """A serving copy holding one small mart, a file and a second database beside it."""
    for name in ("serving.duckdb", "other.duckdb"):
        con = duckdb.connect(str(tmp_path / name))
        con.execute("create schema marts")
        con.execute("create table marts.dim_brands as select 'Nuage' as brand, false as flag")
        con.close()
    (tmp_path / "secret.csv").write_text("token\nhunter2\n", encoding="utf-8")
    return config_for(tmp_path)


@pytest.fixture
def con(config):
    connection = serving.connect(config)
    yield connection
    connection.close()


def test_marts_still_read(con, config) -> None:
    assert con.execute("select brand from marts.dim_brands").fetchall() == [("Nuage",)]
    assert Marts(config).query("select count(*) as n from marts.dim_brands").n[0] == 1


DISABLED = (duckdb.PermissionException, "disabled")
LOCKED = (duckdb.InvalidInputException, "configuration has been locked")


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("select * from read_csv('{dir}/secret.csv')", DISABLED),
        ("select * from read_text('{dir}/secret.csv')", DISABLED),
        ("select * from read_text('/etc/passwd')", DISABLED),
        ("select * from glob('{dir}/*')", DISABLED),
        ("copy marts.dim_brands to '{dir}/out.csv'", DISABLED),
        ("copy marts.dim_brands to '{dir}/serving.duckdb.tmp/out.csv'", DISABLED),
        ("attach '{dir}/other.duckdb' as other (read_only)", DISABLED),
        ("install httpfs", DISABLED),
        ("install '{dir}/secret.csv'", DISABLED),
        ("load httpfs", DISABLED),
        ("set enable_external_access = true", LOCKED),
        ("reset lock_configuration", LOCKED),
        ("set allowed_directories = ['/']", LOCKED),
        ("set autoinstall_known_extensions = true", LOCKED),
    ],
)
def test_statements_beyond_the_marts_are_refused(con, tmp_path, sql: str, refusal) -> None:
    """Refused by the configuration, not by chance (a missing file or no network)."""
    error, message = refusal
    with pytest.raises(error, match=message):
        con.execute(sql.format(dir=tmp_path)).fetchall()
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "serving.duckdb.tmp" / "out.csv").exists()


def test_writes_beside_the_file_are_refused_before_duckdb(con, tmp_path) -> None:
    """DuckDB keeps the file's WAL paths writable even with external access off."""
    for sql in (
        f"copy marts.dim_brands to '{tmp_path}/serving.duckdb.wal'",
        f"export database '{tmp_path}/dump'",
        "create temp table t as select 1",
    ):
        with pytest.raises(serving.Forbidden):
            serving.check_reads_only(con, sql)
    serving.check_reads_only(con, "use marts; select 1; describe dim_brands; pragma version")


def test_the_page_reader_refuses_a_copy(config, tmp_path) -> None:
    with pytest.raises(serving.Forbidden):
        Marts(config).query(f"copy marts.dim_brands to '{tmp_path}/serving.duckdb.wal'")
    assert not (tmp_path / "serving.duckdb.wal").exists()


def test_readers_take_the_warehouse_limits_locked_with_the_rest(config, tmp_path) -> None:
    limited = serving.connect(config_for(tmp_path, memory_limit="300MB", threads=1))
    try:
        assert limited.execute(
            "select current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('enable_external_access')"
        ).fetchall() == [("286.1 MiB", 1, False)]
        for sql in ("set memory_limit = '8GB'", "set threads = 4", "reset memory_limit"):
            with pytest.raises(LOCKED[0], match=LOCKED[1]):
                limited.execute(sql)
    finally:
        limited.close()


def test_no_published_build(tmp_path) -> None:
    with pytest.raises(NoData, match="no published build"):
        serving.connect(config_for(tmp_path, "none.duckdb"))
