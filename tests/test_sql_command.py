"""`ecoute sql` reads the published marts through the hardened serving connection."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from ecoute.cli import cli
from tests.conftest import write_demo_config

QUERY = "select brand, mentions, share from marts.mart_share_of_voice order by mentions desc"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The demo config, and a serving copy holding one small mart."""
    path = write_demo_config(tmp_path, port=1)
    con = duckdb.connect(str(tmp_path / "serving.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_share_of_voice as select * from (values "
        "('Nuage', 12, 0.8::decimal(5, 3), 'one, two'), ('Orage', 3, 0.2, null)) "
        "as t(brand, mentions, share, note)"
    )
    con.close()
    return path


def sql(config_file: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["sql", "--config", str(config_file), *args], input=stdin)


def test_a_query_prints_an_aligned_table(config_file) -> None:
    result = sql(config_file, QUERY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split(" | ") == ["brand", "mentions", "share"]
    assert lines[2].split() == ["Nuage", "|", "12", "|", "0.800"]
    assert lines[3].split() == ["Orage", "|", "3", "|", "0.200"]
    assert lines[-1] == "(2 rows)"
    assert len({len(line) for line in lines[:2]}) == 1  # header and rule line up


def test_csv_and_json_are_for_machines(config_file) -> None:
    result = sql(config_file, "--format", "csv", "select * from marts.mart_share_of_voice")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {"brand": "Nuage", "mentions": "12", "share": "0.800", "note": "one, two"},
        {"brand": "Orage", "mentions": "3", "share": "0.200", "note": ""},
    ]
    result = sql(config_file, "--format", "json", QUERY)
    assert json.loads(result.stdout)[0] == {"brand": "Nuage", "mentions": 12, "share": 0.8}


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("copy marts.mart_share_of_voice to '{dir}/out.csv'", "not allowed"),
        ("select * from read_csv('{dir}/ecoute.yml')", "disabled by configuration"),
        ("set enable_external_access = true", "locked"),
        ("select * from marts.nope", "nope"),
    ],
)
def test_a_refused_or_broken_statement_exits_1(config_file, statement: str, message: str) -> None:
    result = sql(config_file, statement.format(dir=config_file.parent))
    assert result.exit_code == 1
    assert message in result.stderr and not result.stdout
    assert not (config_file.parent / "out.csv").exists()


def test_the_interactive_loop_reads_statements_until_quit(config_file) -> None:
    typed = (
        "select count(*) as n from marts.mart_share_of_voice;\n"
        "select brand\n"
        "from marts.mart_share_of_voice\n"
        "where mentions < 5\n"
        "\n"
        f"copy marts.mart_share_of_voice to '{config_file.parent}/out.csv';\n"
        "select 'still here' as alive;\n"
        ".quit\n"
        "select 'after quit' as never;\n"
    )
    result = sql(config_file, stdin=typed)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("(1 row)") == 3
    assert "Orage" in result.stdout and "Nuage" not in result.stdout
    assert "still here" in result.stdout and "after quit" not in result.stdout
    assert "error: COPY statements are not allowed" in result.stderr
    assert not (config_file.parent / "out.csv").exists()


def test_the_interactive_loop_ends_at_eof(config_file) -> None:
    result = sql(config_file, stdin="select 41 + 1 as answer")
    assert result.exit_code == 0, result.output
    assert "42" in result.stdout


def test_no_published_build(tmp_path) -> None:
    result = sql(write_demo_config(tmp_path, port=1), "select 1")
    assert result.exit_code == 1
    assert "no published build" in result.stderr
