"""Corrections in the build: the latest per (mention, brand, field) applies, once, however often
a killed build re-loaded its events; the model-vs-human mart compares against them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.raw_schema import RAW_TABLES, create_table_sql
from tests.dbt.conftest import BUILD_VARS, DbtWarehouse, failed_nodes

SELECT = ["--select", "stg_corrections__events+", "stg_corrections__coding_answers+"]


def nuage_mentions(wh: DbtWarehouse) -> list[tuple[str, str]]:
    """(mention_id, model sentiment) of two Nuage brand mentions of the fixture."""
    return wh.query(
        "select mention_id, sentiment_label from intermediate.int_brand_mentions "
        "where brand = 'Nuage' and is_canonical order by mention_id limit 2"
    )


def add_events(con: duckdb.DuckDBPyConnection, rows: list[tuple], load_id: str = "l1") -> None:
    """Rows as dlt lands them in raw.corrections (the table created on first use)."""
    for name in ("corrections", "coding_answers"):
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = ?",
            [name],
        ).fetchone()
        if not exists or not exists[0]:
            con.execute(create_table_sql(RAW_TABLES[name]))
    for row in rows:
        table, values = row[0], row[1:]
        marks = ", ".join("?" for _ in range(len(values) + 2))
        con.execute(
            f"insert into raw.{table} values ({marks})", [*values, load_id, f"{load_id}{values[0]}"]
        )


def correction(event: str, mention: str, field: str, value: str, at: str) -> tuple:
    return ("corrections", event, mention, "Nuage", field, None, value, "v", "alice", at, None)


def answer(event: str, mention: str, coder: str, value: str) -> tuple:
    return (
        "coding_answers",
        event,
        mention,
        "Nuage",
        "sentiment",
        None,
        value,
        None,
        coder,
        "2025-02-01 10:00:00+00",
        None,
        coder,
        "s1",
        mention,
    )


@pytest.mark.slow
def test_latest_correction_once_and_model_agreement(built: DbtWarehouse, tmp_path: Path) -> None:
    wh = built.copy_to(tmp_path)
    (first, first_label), (second, second_label) = nuage_mentions(wh)
    other = next(v for v in ("positive", "negative") if v != first_label)
    events = [
        correction("e1", first, "sentiment", "neutral", "2025-02-01 09:00:00+00"),
        correction("e2", first, "sentiment", other, "2025-02-02 09:00:00+00"),  # the latest
        correction("e3", second, "relevance", "not_about", "2025-02-01 09:00:00+00"),
        answer("a1", second, "alice", second_label),
        answer("a2", second, "bob", second_label),
    ]
    wh.execute(add_events, events)
    result = wh.dbt("build", *SELECT, "--vars", BUILD_VARS)
    assert result.success, failed_nodes(result)
    latest = wh.query(
        "select mention_id, field, corrected_value, corrections_count "
        "from intermediate.int_corrections_latest order by mention_id, field"
    )
    assert sorted(latest) == sorted(
        [(first, "sentiment", other, 2), (second, "relevance", "not_about", 1)]
    )

    # A killed build re-loaded the same events under a new load id: still applied once.
    wh.execute(add_events, events[:3], "l2")
    again = wh.dbt("build", *SELECT, "--vars", BUILD_VARS)
    assert again.success, failed_nodes(again)
    assert sorted(
        wh.query(
            "select mention_id, field, corrected_value, corrections_count "
            "from intermediate.int_corrections_latest"
        )
    ) == sorted(latest)
    assert wh.query("select count(*) from staging.stg_corrections__events")[0][0] == 3

    agreement = wh.query(
        "select field, sum(gold_items), sum(agreed_items), sum(corrected_items), sum(coded_items) "
        "from marts.mart_model_agreement group by field order by field"
    )
    # relevance: the correction says not_about where the model matched; sentiment: the first
    # mention corrected away from the model, the second coded unanimously as the model said.
    assert agreement == [("relevance", 1, 0, 1, 0), ("sentiment", 2, 1, 1, 1)]


def _totals(wh: DbtWarehouse) -> dict[str, int]:
    """Nuage's figures in the marts: brand rows, daily counts per label, weekly share of voice."""
    ((rows,),) = wh.query("select count(*) from marts.fct_brand_mentions where brand = 'Nuage'")
    daily = wh.query(
        "select sum(mentions), sum(positive_mentions), sum(negative_mentions), "
        "sum(neutral_mentions) from marts.mart_brand_sentiment_daily where brand = 'Nuage'"
    )[0]
    ((voice,),) = wh.query(
        "select sum(mentions) from marts.mart_share_of_voice "
        "where brand = 'Nuage' and period_grain = 'week'"
    )
    return {
        "rows": int(rows),
        "daily": int(daily[0]),
        "positive": int(daily[1]),
        "negative": int(daily[2]),
        "neutral": int(daily[3]),
        "voice": int(voice),
    }


@pytest.mark.slow
def test_every_mart_counts_the_corrected_value_exactly_once(
    built: DbtWarehouse, tmp_path: Path
) -> None:
    from core.config import parse_config
    from core.corrections import drop_marts_missing_corrections

    wh = built.copy_to(tmp_path)
    config = parse_config(
        {
            "project": {"name": "t"},
            "brands": [{"name": "Nuage"}],
            "warehouse": {"engine": "duckdb", "path": str(wh.path)},
        }
    )
    before = _totals(wh)
    (first, first_label), (second, second_label) = nuage_mentions(wh)
    other = next(v for v in ("positive", "negative") if v != first_label)
    events = [
        correction("e1", first, "sentiment", other, "2025-02-01 09:00:00+00"),
        correction("e2", second, "relevance", "not_about", "2025-02-01 09:00:00+00"),
        correction("e3", first, "category", "network", "2025-02-01 09:00:00+00"),
    ]
    wh.execute(add_events, events)
    assert drop_marts_missing_corrections(config)  # new events: the incremental marts go
    result = wh.dbt("build", "--exclude", "+int_mentions", "--vars", BUILD_VARS)
    assert result.success, failed_nodes(result)

    after = _totals(wh)
    expected = dict(before, rows=before["rows"] - 1, daily=before["daily"] - 1)
    expected["voice"] = before["voice"] - 1
    expected[other] += 1
    expected[first_label] -= 1
    expected[second_label] -= 1  # the second mention left Nuage's volumes, its label with it
    assert after == expected
    assert wh.query(
        "select sentiment_label, model_label, is_corrected, category "
        "from intermediate.int_brand_mentions where mention_id = ? and brand = 'Nuage'",
        [first],
    ) == [(other, first_label, True, "network")]
    assert wh.query(  # analysts see both labels in the mart too
        "select sentiment_label, model_label, is_corrected, category "
        "from marts.fct_brand_mentions where mention_id = ? and brand = 'Nuage'",
        [first],
    ) == [(other, first_label, True, "network")]
    assert not wh.query(
        "select 1 from marts.fct_brand_mentions where mention_id = ? and brand = 'Nuage'", [second]
    )

    # A killed build re-loaded every event under a new load id, then ran again: nothing moves.
    wh.execute(add_events, events, "l2")
    assert drop_marts_missing_corrections(config) == []
    again = wh.dbt("build", "--exclude", "+int_mentions", "--vars", BUILD_VARS)
    assert again.success, failed_nodes(again)
    assert _totals(wh) == after
