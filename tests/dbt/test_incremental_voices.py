"""dim_authors, int_author_brand_stance and fct_brand_requests are incremental on the authors and
threads a load touches: after a later load each of them (and every table after them) equals a
full rebuild, row for row, rows a key lost included (an author left without posts, a thread
whose request is gone), and a row no load touched is not written again."""

from __future__ import annotations

import duckdb
import pytest

from tests.dbt.conftest import (
    BUILD_VARS,
    ENRICHED,
    DbtWarehouse,
    Post,
    create_enrichment,
    failed_nodes,
    sha256,
)
from tests.dbt.test_incremental_dedup import AFTER_ENRICHMENT, _all_rows, _tables

pytestmark = pytest.mark.slow

THREAD = "web:https://news.example/panne-nuage"
REQUEST = "web:https://news.example/panne-nuage#c1"
ANSWER = "web:https://news.example/panne-nuage#c5"
ANSWER_TEXT = "Bonjour, nos équipes rétablissent le réseau Nuage, merci de votre patience."
MOVED = "https://news.example/panne-nuage#c3"  # chloé's comment, re-collected as Bob's
HN_THREAD = "hn:1001"
HN_REQUEST = "hn:1002"  # alice_m's only post: re-collected as pg's, re-enriched neutral on Nuage
UNTOUCHED_AUTHOR = "web:dealbot"


def _official_accounts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table enrichment.official_accounts (brand varchar, handle varchar)")
    con.execute("insert into enrichment.official_accounts values ('Nuage', 'nuage_sav')")


def _second_load(con: duckdb.DuckDBPyConnection) -> None:
    """Nuage's official account answers the web thread's complaint; chloé's second comment is
    re-collected as Bob's; alice_m's only post as pg's (alice_m is gone); chloé posts on
    Hacker News (her web handle now spans two sources, none of her web posts changed)."""
    con.execute(
        "insert into raw.web_comments values (?, ?, ?, 5, 'Nuage_SAV', '2025-01-08 12:00:00+00',"
        " ?, ?, '2025-01-10 00:00:00+00', 'l2', 'c5')",
        [ANSWER[4:], THREAD[4:], REQUEST[4:], ANSWER_TEXT, sha256(ANSWER_TEXT)],
    )
    con.execute(
        "update raw.web_comments set author = 'Bob', _dlt_load_id = 'l2' where comment_id = ?",
        [MOVED],
    )
    con.execute(
        "update raw.hackernews_items set author = 'pg', _dlt_load_id = 'l2' where object_id = ?",
        [HN_REQUEST[3:]],
    )
    con.execute(
        "insert into raw.hackernews_items values ('1004', 'comment', null, 'Nuage support never"
        " answers.', null, 'Chloé', '2025-01-07 15:00:00+00', '1001', '1001', null, null,"
        " 'fibrea', '2025-01-10 00:00:00+00', 'l2', 'h4')"
    )


def _enrich_second_load(con: duckdb.DuckDBPyConnection) -> None:
    """The answer is enriched; the Hacker News complaint is re-enriched, neutral on Nuage now."""
    posts = [p for p in ENRICHED if p.mention_id != HN_REQUEST] + [
        Post(ANSWER, "neutral", 0.0, (("Nuage", "Nuage", "neutral", 0.0),)),
        Post(
            HN_REQUEST,
            "neutral",
            0.0,
            (("Fibrea", "Fibrea", "positive", 0.6), ("Nuage", "Nuage", "neutral", 0.0)),
            ("fibre",),
        ),
    ]
    con.execute("drop schema enrichment cascade")
    create_enrichment(con, posts)
    _official_accounts(con)
    con.execute(
        "update enrichment.mention_enrichment set enriched_at = now() where mention_id in (?, ?)",
        [ANSWER, HN_REQUEST],
    )


def _requests(wh: DbtWarehouse) -> set[tuple[str, str, str, str | None]]:
    return set(
        wh.query(
            "select thread_id, brand, opened_by_mention_id, answer_mention_id "
            "from marts.fct_brand_requests"
        )
    )


def test_authors_stances_and_requests_after_a_load_equal_a_full_rebuild(built, tmp_path) -> None:
    wh = built.copy_to(tmp_path)
    wh.execute(_official_accounts)
    first = wh.dbt("build", "--full-refresh", "--vars", BUILD_VARS)
    assert first.success, failed_nodes(first)
    assert _requests(wh) == {
        (THREAD, "Nuage", REQUEST, None),
        (HN_THREAD, "Nuage", HN_REQUEST, None),
    }
    # Marks on rows of an author no load touches: an incremental build leaves them there.
    marks = [
        ("marts.dim_authors", "author_name"),
        ("intermediate.int_author_brand_stance", "author_name"),
    ]
    ((name,),) = wh.query(
        "select author_name from marts.dim_authors where author_id = ?", [UNTOUCHED_AUTHOR]
    )
    for relation, column in marks:
        wh.execute(
            lambda con, r=relation, c=column: con.execute(
                f"update {r} set {c} = 'marked' where author_id = ?", [UNTOUCHED_AUTHOR]
            )
        )

    wh.execute(_second_load)
    before = wh.dbt("build", "--exclude", AFTER_ENRICHMENT, "--vars", BUILD_VARS)
    assert before.success, failed_nodes(before)
    wh.execute(_enrich_second_load)
    after = wh.dbt("build", "--select", AFTER_ENRICHMENT, "--vars", BUILD_VARS)
    assert after.success, failed_nodes(after)

    for relation, column in marks:
        kept = wh.query(f"select {column} from {relation} where author_id = ?", [UNTOUCHED_AUTHOR])
        assert kept and {value for (value,) in kept} == {"marked"}, f"{relation} rewrote it"
        wh.execute(
            lambda con, r=relation, c=column: con.execute(
                f"update {r} set {c} = ? where author_id = ?", [name, UNTOUCHED_AUTHOR]
            )
        )
    assert _requests(wh) == {(THREAD, "Nuage", REQUEST, ANSWER)}, "answered; the other is gone"
    authors = dict(wh.query("select author_id, posts from marts.dim_authors"))
    assert "hn:alice_m" not in authors and authors["web:chloé"] == 1
    assert wh.query(
        "select sources_with_handle from marts.dim_authors where author_id = 'web:chloé'"
    ) == [(2,)], "a new post on another source reaches the author's other accounts"
    assert not wh.query(
        "select 1 from intermediate.int_author_brand_stance where author_id = 'hn:alice_m'"
    )
    tables = _tables(wh, "intermediate") + _tables(wh, "marts")
    assert "intermediate.int_author_brand_stance" in tables
    incremental = _all_rows(wh, tables)

    full = wh.dbt("build", "--full-refresh", "--vars", BUILD_VARS)
    assert full.success, failed_nodes(full)
    rebuilt = _all_rows(wh, tables)
    for table in tables:
        assert incremental[table] == rebuilt[table], f"{table} differs from a full rebuild"


EMPTIED = {
    "intermediate.int_author_roles": "int_author_roles",
    "marts.mart_contributor_typology": "mart_contributor_typology",
    "marts.mart_community_composition": "mart_community_composition",
    "marts.mart_community_bands": "mart_community_bands",
    "marts.dim_authors": "dim_authors",
    "intermediate.int_author_brand_stance": "int_author_brand_stance",
    "marts.fct_brand_mentions": "fct_brand_mentions",
    "marts.mart_brand_sentiment_daily": "mart_brand_sentiment_daily",
    "intermediate.int_brand_keywords_weekly": "int_brand_keywords_weekly",
}


def test_an_incremental_table_built_empty_fills_at_the_next_build(built, tmp_path) -> None:
    """A table whose first build found nothing (a young warehouse) has no watermark: the next
    build reads every row of its inputs instead of none."""
    wh = built.copy_to(tmp_path)
    expected = _all_rows(wh, list(EMPTIED))
    assert all(expected.values())
    for table in EMPTIED:
        wh.execute(lambda con, t=table: con.execute(f"delete from {t}"))
    again = wh.dbt("run", "--select", *EMPTIED.values(), "--vars", BUILD_VARS)
    assert again.success, failed_nodes(again)
    filled = _all_rows(wh, list(EMPTIED))
    for table, rows in expected.items():
        assert filled[table] == rows, f"{table} did not fill again"
