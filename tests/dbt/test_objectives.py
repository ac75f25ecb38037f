"""Objectives with history and brand responsiveness, built by the real dbt on the fixture world."""

from __future__ import annotations

import duckdb
import pytest

from tests.dbt.conftest import (
    ENRICHED,
    DbtWarehouse,
    Post,
    create_enrichment,
    create_raw,
    failed_nodes,
    new_warehouse,
    sha256,
)

pytestmark = pytest.mark.slow

THREAD = "web:https://news.example/panne-nuage"
ANSWER = "Bonjour, désolés pour la gêne : écrivez-nous en privé avec votre numéro client."
OBJECTIVES = [
    ("Answer within 24 h", "Nuage", "response_rate_24h", 0.6, "above"),
    ("Volume", "Nuage", "volume", 2.0, "above"),
]
CONFIG_DDL = """
create table enrichment.objectives (objective varchar, brand varchar, kpi varchar,
    target double, direction varchar, _dlt_load_id varchar not null, _dlt_id varchar not null);
create table enrichment.official_accounts (brand varchar, handle varchar,
    _dlt_load_id varchar not null, _dlt_id varchar not null);
"""


def seed_raw(con: duckdb.DuckDBPyConnection) -> None:
    """The fixture world, plus Nuage's official account answering the outage thread at noon."""
    create_raw(con)
    con.execute(
        "insert into raw.web_comments values (?, ?, null, 9, 'Nuage_SAV', "
        "'2025-01-08 12:00:00+00', ?, ?, '2025-01-09 00:00:00+00', 'l1', 'sav1')",
        [
            "https://news.example/panne-nuage#sav",
            "https://news.example/panne-nuage",
            ANSWER,
            sha256(ANSWER),
        ],
    )


def seed_enrichment(con: duckdb.DuckDBPyConnection) -> None:
    create_enrichment(con, [*ENRICHED, Post(f"{THREAD}#sav", "neutral", 0.0)])
    con.execute(CONFIG_DDL)
    for index, row in enumerate(OBJECTIVES):
        con.execute(
            "insert into enrichment.objectives values (?, ?, ?, ?, ?, 'e1', ?)", [*row, f"o{index}"]
        )
    for index, (brand, handle) in enumerate([("Nuage", "nuage_sav"), ("Fibrea", "fibrea_care")]):
        con.execute(
            "insert into enrichment.official_accounts values (?, ?, 'e1', ?)",
            [brand, handle, f"a{index}"],
        )


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    wh = new_warehouse(tmp_path_factory.mktemp("objectives"))
    wh.execute(seed_raw)
    first = wh.dbt("build", "--select", "+int_mentions")
    assert first.success, failed_nodes(first)
    wh.execute(seed_enrichment)
    second = wh.dbt(
        "build",
        "--select",
        "+mart_objectives_daily",
        "+mart_brand_responsiveness_daily",
        "--exclude",
        "+int_mentions",
        "--indirect-selection",
        "cautious",
    )
    assert second.success, failed_nodes(second)
    return wh


def test_requests_open_on_the_first_complaint_and_close_on_the_official_answer(answered):
    rows = answered.query(
        "select thread_id, brand, opened_by_mention_id, request_kind, answer_mention_id,"
        " response_hours, is_answered_24h from marts.fct_brand_requests order by opened_at"
    )
    assert rows == [
        ("hn:1001", "Nuage", "hn:1002", "complaint", None, None, False),
        (THREAD, "Nuage", f"{THREAD}#c1", "complaint", f"{THREAD}#sav", 2.5, True),
    ]


def test_responsiveness_per_day_is_provisional_until_a_day_has_passed(answered):
    rows = answered.query(
        "select brand, day, requests, answered_24h, response_rate_24h, median_response_hours,"
        " is_settled from marts.mart_brand_responsiveness_daily order by day"
    )
    assert [(str(day), rest) for _, day, *rest in rows] == [
        ("2025-01-07", [1, 0, 0.0, None, False]),
        ("2025-01-08", [1, 1, 1.0, 2.5, False]),
    ]


def test_each_objective_has_a_daily_history_against_its_target(answered):
    rows = answered.query(
        "select objective, cast(day as varchar), value, target, status, is_provisional"
        " from marts.mart_objectives_daily"
    )
    days = {day for _, day, *_ in rows}
    assert min(days) == "2024-12-20" and max(days) == "2025-01-08" and len(days) == 20
    by_key = {(objective, day): rest for objective, day, *rest in rows}
    assert len(by_key) == 2 * len(days)
    assert by_key["Answer within 24 h", "2025-01-08"] == [1.0, 0.6, "on_track", True]
    assert by_key["Answer within 24 h", "2025-01-07"] == [0.0, 0.6, "off_track", True]
    assert by_key["Answer within 24 h", "2025-01-01"] == [None, 0.6, "no_data", False]
    volume = answered.query(
        "select count(*) from marts.fct_brand_mentions where brand = 'Nuage' and is_canonical"
        " and published_date = '2025-01-08'"
    )[0][0]
    assert by_key["Volume", "2025-01-08"] == [float(volume), 2.0, "on_track", False]
    assert by_key["Volume", "2025-01-01"] == [0.0, 2.0, "off_track", False]


def test_without_objectives_or_accounts_the_marts_are_empty_but_built(built):
    for table in ("mart_objectives_daily", "fct_brand_requests", "mart_brand_responsiveness_daily"):
        assert built.query(f"select count(*) from marts.{table}") == [(0,)]
