"""Descriptions reach the warehouse (and the serving copy); failed tests leave their rows."""

from __future__ import annotations

import json

from core import publish
from core.config import parse_config
from tests.dbt.conftest import DbtWarehouse, failed_nodes

FAILURES_SCHEMA = "dbt_test_failures"


def described_columns(wh: DbtWarehouse, schema: str) -> dict[tuple[str, str], str]:
    """(model, column) → description, from the manifest of the build, for one schema."""
    manifest = json.loads((wh.work / "target" / "manifest.json").read_text())
    return {
        (node["name"], column): spec["description"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == schema
        for column, spec in node["columns"].items()
        if spec["description"]
    }


def comments(con_query, schema: str) -> dict[tuple[str, str], str]:
    rows = con_query(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = ? and comment is not null",
        [schema],
    )
    return {(table, column): comment for table, column, comment in rows}


def test_every_described_mart_column_carries_its_comment(built: DbtWarehouse):
    described = described_columns(built, "marts")
    assert len(described) > 100
    assert comments(built.query, "marts") == described
    tables = built.query(
        "select table_name from duckdb_tables() where schema_name = 'marts' and comment is null"
    )
    assert tables == []
    # intermediate views and the int_mentions table carry theirs too
    assert comments(built.query, "intermediate").keys() >= {("int_mentions", "mention_id")}


def test_serving_copy_keeps_the_comments_and_only_the_marts(built: DbtWarehouse, tmp_path):
    wh = built.copy_to(tmp_path / "build")
    cfg = parse_config(
        {
            "project": {"name": "t"},
            "brands": [{"name": "A"}],
            "warehouse": {"path": str(wh.path), "serving_path": str(tmp_path / "serving.duckdb")},
        },
        base_dir=tmp_path,
    )
    serving = publish.publish_serving(cfg)
    assert serving is not None
    served = DbtWarehouse(path=serving, work=tmp_path)
    assert comments(served.query, "marts") == comments(wh.query, "marts")
    assert served.query("select distinct schema_name from duckdb_tables()") == [("marts",)]
    assert wh.relation_exists(FAILURES_SCHEMA, "unique_fct_mentions_mention_id")


def test_a_failing_test_stores_its_rows_in_dbt_test_failures(built: DbtWarehouse, tmp_path):
    wh = built.copy_to(tmp_path)
    wh.execute(
        lambda con: con.execute(
            "insert into enrichment.mention_enrichment select * replace ('dup' as _dlt_id) "
            "from enrichment.mention_enrichment where mention_id = 'hn:1001'"
        )
    )
    result = wh.dbt("test", "--select", "stg_enrichment__mention_enrichment")
    assert not result.success
    failed = failed_nodes(result)
    table = "unique_stg_enrichment__mention_enrichment_mention_id"
    assert table in failed
    failure = next(r for r in result.result if r.node.name == table)
    assert failure.node.relation_name == f'"warehouse"."{FAILURES_SCHEMA}"."{table}"'
    assert wh.query(f"select unique_field, n_records from {FAILURES_SCHEMA}.{table}") == [
        ("hn:1001", 2)
    ]
