"""The raw-table declaration and what is derived from it without loading anything."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.raw_schema import (
    RAW_TABLES,
    SOURCES_YML,
    TYPES,
    Column,
    RawTable,
    create_table_sql,
    sources_yml,
)

REPO = Path(__file__).resolve().parents[2]


def test_committed_sources_yml_is_the_generated_one() -> None:
    assert SOURCES_YML.read_text(encoding="utf-8") == sources_yml(), (
        "dbt_project/models/staging/_sources.yml differs from core/raw_schema.py: "
        "run `python -m core.raw_schema` and commit the result"
    )


def test_check_mode_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "_sources.yml"
    stale.write_text(sources_yml().replace("data_type: bigint", "data_type: string", 1))
    script = (
        "import sys, core.raw_schema as s; from pathlib import Path; "
        f"s.SOURCES_YML = Path({str(stale)!r}); sys.argv = ['x', '--check']; s.main()"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 1 and "out of date" in run.stderr


def test_yml_types_are_the_declared_ones() -> None:
    [raw] = yaml.safe_load(sources_yml())["sources"]
    tables = {t["name"]: t for t in raw["tables"]}
    assert list(tables) == list(RAW_TABLES)
    hn = {c["name"]: c["data_type"] for c in tables["hackernews_items"]["columns"]}
    assert hn["parent_id"] == "string" and hn["points"] == "bigint"
    assert hn["created_at"] == "timestamptz"
    assert tables["web_pages"]["config"] == {"loaded_at_field": "fetched_at"}
    assert tables["mastodon_posts"]["config"] == {"freshness": None}


def test_every_raw_table_staging_reads_is_declared() -> None:
    staging = REPO / "dbt_project" / "models" / "staging"
    read = {
        name
        for sql in staging.glob("*.sql")
        for name in re.findall(r"select_source\('raw', '(\w+)'", sql.read_text())
    }
    assert read and read <= set(RAW_TABLES)


def test_dlt_hints_are_fresh_dicts_with_required_columns_not_null() -> None:
    pages = RAW_TABLES["web_pages"]
    first, second = pages.dlt_columns(), pages.dlt_columns()
    assert first == second and first["url"] is not second["url"]
    assert first["url"] == {"data_type": "text", "nullable": False}
    assert first["published_at"] == {"data_type": "timestamp", "timezone": True}
    assert list(first) == pages.column_names


def test_create_table_sql_matches_dlt_layout() -> None:
    sql = create_table_sql(RAW_TABLES["web_quarantine"])
    assert sql.startswith("create table raw.web_quarantine (")
    assert "quarantine_id varchar not null," in sql
    assert "received_at timestamp with time zone," in sql
    assert sql.rstrip().endswith("_dlt_id varchar not null\n);")


def test_declaration_errors() -> None:
    with pytest.raises(ValueError, match="unknown type 'float'"):
        Column("ratio", "float", "A ratio.")
    with pytest.raises(ValueError, match="required column"):
        RawTable("t", "id", "T.", (Column("id", "text", "Id."),))
    assert set(TYPES) == {"text", "bigint", "bool", "timestamp"}
