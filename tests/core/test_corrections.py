"""The corrections store: append-only, idempotent on re-import, refusing bad rows by number."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
import yaml

from core import corrections
from core.config import EcouteConfig, load_config
from core.corrections import CorrectionError, add_correction, import_file, store_path

REPO = Path(__file__).resolve().parents[2]


def project(folder: Path, served: bool = True) -> EcouteConfig:
    """A two-brand project with the shipped codebook and, when `served`, a tiny serving copy."""
    data = {
        "project": {"name": "corrections test"},
        "brands": [{"name": "Nuage"}, {"name": "Zest"}],
        "warehouse": {"engine": "duckdb", "path": ".ecoute/w.duckdb", "serving_path": "s.duckdb"},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ecoute.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    shutil.copy(REPO / "codebook.yml", folder / "codebook.yml")
    config = load_config(folder / "ecoute.yml")
    if served:
        con = duckdb.connect(str(folder / "s.duckdb"))
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_mentions as select * from (values ('m1'), ('m2')) t(mention_id)"
        )
        con.execute(
            "create table marts.fct_brand_mentions as select * from (values "
            "('m1', 'Nuage', 'negative', 'v7'), ('m2', 'Zest', 'neutral', 'v7')) "
            "t(mention_id, brand, sentiment_label, enrichment_version)"
        )
        con.close()
    return config


def stored(config: EcouteConfig) -> list[tuple]:
    if not store_path(config).exists():
        return []
    with sqlite3.connect(store_path(config)) as con:
        return con.execute("select * from corrections order by event_id").fetchall()


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "mention_id,brand,field,value,who,reason\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def test_store_sits_beside_the_warehouse_not_in_the_serving_copy(tmp_path: Path) -> None:
    config = project(tmp_path)
    assert store_path(config) == tmp_path / ".ecoute" / "corrections.sqlite"


def test_add_correction_records_old_value_and_model_version(tmp_path: Path) -> None:
    config = project(tmp_path)
    first = add_correction(config, "m1", "Nuage", "sentiment", "positive", "alice", "sarcasm")
    assert (first.old_value, first.new_value, first.model_version) == ("negative", "positive", "v7")
    second = add_correction(config, "m1", "Nuage", "sentiment", "neutral", "bob")
    assert second.old_value == "positive"  # the latest correction, not the model's value
    assert second.event_id != first.event_id
    relevance = add_correction(config, "m2", "Zest", "relevance", "not_about", "alice")
    assert relevance.old_value == "about"
    assert len(stored(config)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("m9", "Nuage", "sentiment", "positive", "alice"), "unknown mention id 'm9'"),
        (("m1", "Orange", "sentiment", "positive", "alice"), "unknown brand 'Orange'"),
        (("m1", "Nuage", "sentiment", "great", "alice"), "'great' is not a sentiment value"),
        (("m1", "Nuage", "contributor_type", "creator", "alice"), "not one of"),
        (("m1", "Nuage", "sentiment", "positive", " "), "who is empty"),
    ],
)
def test_bad_correction_is_refused(tmp_path: Path, args: tuple, message: str) -> None:
    config = project(tmp_path)
    with pytest.raises(CorrectionError, match=message):
        add_correction(config, *args)
    assert stored(config) == []


def test_import_refuses_bad_rows_by_number_loads_the_rest_and_is_idempotent(tmp_path: Path) -> None:
    config = project(tmp_path)
    add_correction(config, "m2", "Zest", "category", "pricing", "carol")
    before = stored(config)
    file = write_csv(
        tmp_path / "fix.csv",
        [
            "m1,Nuage,sentiment,positive,alice,irony",
            "m404,Nuage,sentiment,positive,alice,",
            "m1,Orange,sentiment,positive,alice,",
            "m1,Nuage,category,weather,alice,",
            "m2,Zest,relevance,not_about,bob,lemon",
        ],
    )
    result = import_file(config, file)
    assert (result.added, result.duplicates) == (2, 0)
    assert [r.split(" ")[1] for r in result.refused] == ["2", "3", "4"]
    assert "m404" in result.refused[0] and "Orange" in result.refused[1]
    assert "weather" in result.refused[2]
    after = stored(config)
    assert set(before) <= set(after) and len(after) == 3
    again = import_file(config, file)
    assert (again.added, again.duplicates) == (0, 2)
    assert stored(config) == after  # nothing stored changes


def test_jsonl_import_without_a_build_checks_brands_and_values_only(tmp_path: Path) -> None:
    config = project(tmp_path, served=False)
    lines = [
        {
            "mention_id": "web:x",
            "brand": "Nuage",
            "field": "sentiment",
            "value": "negative",
            "who": "a",
        },
        {
            "mention_id": "web:y",
            "brand": "Nuage",
            "field": "relevance",
            "value": "maybe",
            "who": "a",
        },
    ]
    path = tmp_path / "fix.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    result = import_file(config, path)
    assert result.added == 1
    assert result.refused[0].startswith("row 2 (web:y): ")
    assert result.refused[1].startswith("row 3: line 3: not valid JSON")
    assert corrections.corrections(config)[0].model_version is None


def test_missing_column_is_named(tmp_path: Path) -> None:
    config = project(tmp_path)
    path = tmp_path / "fix.csv"
    path.write_text("mention_id,brand,value,who\nm1,Nuage,positive,alice\n", encoding="utf-8")
    result = import_file(config, path)
    assert result.added == 0 and "missing column(s) ['field']" in result.refused[0]


def test_coding_answer_needs_an_assignment_and_a_codebook_value(tmp_path: Path) -> None:
    config = project(tmp_path)
    with corrections.connect(store_path(config)) as con:
        con.execute(
            "insert into coding_assignments values ('s1', 'i1', 'm1', 'Nuage', 'alice', 'fr', "
            "'web', 'negative', '2026-01-01')"
        )
    event = corrections.add_answer(config, "s1", "i1", "alice", "sentiment", "positive")
    assert (event.mention_id, event.brand, event.old_value) == ("m1", "Nuage", None)
    with pytest.raises(CorrectionError, match="not bob's"):
        corrections.add_answer(config, "s1", "i1", "bob", "sentiment", "positive")
    with pytest.raises(CorrectionError, match="not a sentiment value"):
        corrections.add_answer(config, "s1", "i1", "alice", "sentiment", "meh")
    assert len(corrections.rows(config, "coding_answers")) == 1


def test_dlt_source_loads_the_store_into_raw_once(tmp_path: Path) -> None:
    from ingestion.corrections import load

    config = project(tmp_path)
    add_correction(config, "m1", "Nuage", "sentiment", "positive", "alice", "irony")
    assert load(config) == {"corrections": 1, "coding_answers": 0}
    add_correction(config, "m2", "Zest", "relevance", "not_about", "bob")
    load(config)
    load(config)  # a re-run (a killed build run again) merges the same event ids
    con = duckdb.connect(str(tmp_path / ".ecoute" / "w.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select mention_id, field, new_value, who from raw.corrections order by mention_id"
        ).fetchall()
        kind = con.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'corrections' and column_name = 'made_at'"
        ).fetchone()
    finally:
        con.close()
    assert rows == [
        ("m1", "sentiment", "positive", "alice"),
        ("m2", "relevance", "not_about", "bob"),
    ]
    assert kind == ("TIMESTAMP WITH TIME ZONE",)


def test_loaded_tables_match_the_raw_declaration(tmp_path: Path) -> None:
    from core.raw_schema import DLT_COLUMNS, RAW_TABLES, TYPES
    from ingestion.corrections import load

    config = project(tmp_path)
    add_correction(config, "m1", "Nuage", "sentiment", "positive", "alice")
    with corrections.connect(store_path(config)) as store:
        store.execute(
            "insert into coding_assignments values ('s1', 'i1', 'm1', 'Nuage', 'bob', 'fr', "
            "'web', 'negative', '2026-01-01')"
        )
    corrections.add_answer(config, "s1", "i1", "bob", "sentiment", "neutral")
    assert load(config) == {"corrections": 1, "coding_answers": 1}
    con = duckdb.connect(str(tmp_path / ".ecoute" / "w.duckdb"), read_only=True)
    try:
        for name in ("corrections", "coding_answers"):
            loaded = con.execute(
                "select column_name, lower(data_type), is_nullable = 'YES' "
                "from information_schema.columns where table_schema = 'raw' and table_name = ? "
                "order by ordinal_position",
                [name],
            ).fetchall()
            declared = [
                (c.name, TYPES[c.type].duckdb, not c.required) for c in RAW_TABLES[name].columns
            ] + [(c, "varchar", False) for c in DLT_COLUMNS]
            assert loaded == declared, name
    finally:
        con.close()


def test_new_corrections_drop_the_incremental_marts_until_a_build_applied_them(
    tmp_path: Path,
) -> None:
    from ingestion.corrections import load

    config = project(tmp_path)
    path = tmp_path / ".ecoute" / "w.duckdb"

    def marts() -> set[str]:
        con = duckdb.connect(str(path), read_only=True)
        try:
            rows = con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        finally:
            con.close()
        return {name for (name,) in rows}

    def build(applied: int) -> None:  # what dbt leaves: the marts and the applied events
        con = duckdb.connect(str(path))
        con.execute("create schema if not exists marts; create schema if not exists intermediate")
        for table in ("fct_mentions", "fct_brand_mentions", "dim_brands"):
            con.execute(f"create or replace table marts.{table} (x int)")
        con.execute(
            "create or replace table intermediate.int_corrections_latest as "
            f"select {applied} as corrections_count"
        )
        con.close()

    add_correction(config, "m1", "Nuage", "sentiment", "positive", "alice")
    load(config)
    build(applied=1)
    load(config)  # nothing new: the marts stay
    assert marts() == {"fct_mentions", "fct_brand_mentions", "dim_brands"}
    add_correction(config, "m2", "Zest", "sentiment", "positive", "alice")
    load(config)
    assert marts() == {"dim_brands"}  # rebuilt whole by the next dbt build
    build(applied=1)  # a build killed before it applied the new event
    load(config)
    assert marts() == {"dim_brands"}


def test_latest_correction_progress_and_gold_labels(tmp_path: Path) -> None:
    config = project(tmp_path)
    assert corrections.latest_corrections(config) == {} and corrections.coders(config) == []
    add_correction(config, "m1", "Nuage", "sentiment", "positive", "alice")
    latest = add_correction(config, "m1", "Nuage", "sentiment", "neutral", "bob")
    assert corrections.latest_corrections(config)[("m1", "Nuage", "sentiment")] == latest
    items = [("0001", "m1", "Nuage"), ("0002", "m2", "Zest")]
    corrections.save_assignments(
        config,
        [
            corrections.Assignment("s", i, m, b, c, "fr", "web", "negative", "2026")
            for i, m, b in items
            for c in ("alice", "bob")
        ],
    )
    fields = corrections.project_codebook(config).fields
    for coder in ("alice", "bob"):
        for field in fields:
            value = corrections.project_codebook(config).by_field(field).values[0]
            corrections.add_answer(config, "s", "0002", coder, field, value)
    corrections.add_answer(config, "s", "0001", "alice", "sentiment", "negative")
    corrections.add_answer(config, "s", "0001", "bob", "sentiment", "negative")
    assert corrections.coders(config) == ["alice", "bob"] and corrections.samples(config) == ["s"]
    assert corrections.progress(config, "alice") == (1, 2)
    assert corrections.own_answers(config, "alice", "s", "0001") == {"sentiment": "negative"}
    # m1: the correction wins over the unanimous codes; m2: both coders said "negative"
    assert corrections.gold_sentiment(config) == [
        ("m1", "Nuage", "neutral", "correction"),
        ("m2", "Zest", "negative", "coding"),
    ]


def test_a_project_without_its_own_codebook_uses_the_shipped_one(tmp_path: Path) -> None:
    from core.codebook import load_codebook, project_codebook

    config = project(tmp_path)
    (tmp_path / "codebook.yml").unlink()
    assert project_codebook(config) == load_codebook(REPO / "codebook.yml")
    add_correction(config, "m1", "Nuage", "category", "network", "alice")
    (tmp_path / "codebook.yml").write_text(
        (REPO / "codebook.yml").read_text(encoding="utf-8").replace('"1.0"', '"9.9"'),
        encoding="utf-8",
    )
    assert project_codebook(config).version == "9.9"  # the project's own wins
