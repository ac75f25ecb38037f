"""int_mentions_deduplicated and the marts after it are incremental: a later load ranks again only
the copy groups it touches, and every table then equals a full rebuild's, row for row (a new
earlier copy demotes the older original; a copy moved earlier or later, or whose text changed,
moves the flags of the group it leaves and the group it joins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import duckdb
import pytest

from tests.dbt.conftest import (
    ARTICLE_TEXT,
    BUILD_VARS,
    ENRICHED,
    OUTAGE_TEXT,
    DbtWarehouse,
    Post,
    create_enrichment,
    create_raw,
    failed_nodes,
    new_warehouse,
    sha256,
)

pytestmark = pytest.mark.slow

AFTER_ENRICHMENT = "source:enrichment+"
# Columns that record when a row was written, not what it says (a full rebuild of int_mentions
# stamps every row with the newest load).
WRITE_TIME_COLUMNS = {
    "refreshed_at",
    "last_refreshed_at",
    "_dlt_load_id",
    # the watermarks the community tables keep of their inputs
    "deduplicated_mentions",
    "posts_refreshed_at",
    "behaviour_refreshed_at",
    "roles_refreshed_at",
    "mentions_refreshed_at",
}
ORIGINAL = "web:https://news.example/nuage-fibre"
EARLIER_COPY = "web:https://early.example/nuage-fibre"
MIRROR = "web:https://mirror.example/nuage-fibre"
LATER_COPY = "web:https://late.example/panne-nuage"
PROMO_COMMENT = "web:https://news.example/nuage-fibre#c1"
PROMO_PAGE = "web:https://deals.example/zest"
UNTOUCHED = "web:https://blog.example/celest-roaming"
REDATED = "web:https://blog.example/celest-facture"  # alone on its day, 2024-12-21
OLD_COMMENT = "web:https://news.example/panne-nuage#c1"
NEW_REPLY = "web:https://news.example/panne-nuage#c4"
REPLY_TEXT = "Chez moi aussi la connexion Nuage est coupée depuis hier soir."
MIRROR_TEXT = "Le miroir publie désormais son propre article sur la fibre Nuage à Grenoble."
NEW_POSTS = [
    Post(EARLIER_COPY, "positive", 0.7, (("Nuage", "Nuage Télécom", "positive", 0.7),)),
    Post(LATER_COPY, "negative", -0.8, (("Nuage", "Nuage", "negative", -0.8),)),
]


def _page(con: duckdb.DuckDBPyConnection, url: str, published: str, text: str) -> None:
    con.execute(
        "insert into raw.web_pages values (?, 'demo_news', 'Copie', 'Eve', ?, ?, ?, 'fr', ?,"
        " null, null, 'l2', ?)",
        [url, published, text, sha256(text), datetime(2025, 1, 10, tzinfo=UTC), url],
    )


def second_load(con: duckdb.DuckDBPyConnection) -> None:
    """A later load: an earlier copy of the article (demotes the original), a later near copy of
    the outage, the mirror rewritten (leaves the article's group), the promo comment re-dated
    after the promo page (the page becomes the original: no text changed, nothing re-enriched),
    a blog post re-dated (the day it leaves has no other post), a new reply to an old comment."""
    _page(con, EARLIER_COPY[4:], "2025-01-05 08:00:00+00", ARTICLE_TEXT)
    _page(con, LATER_COPY[4:], "2025-01-09 08:00:00+00", OUTAGE_TEXT.replace(":", " -"))
    con.execute(
        "update raw.web_pages set text = ?, content_hash = ?, _dlt_load_id = 'l2' where url = ?",
        [MIRROR_TEXT, sha256(MIRROR_TEXT), MIRROR[4:]],
    )
    con.execute(
        "update raw.web_comments set published_at = '2025-01-09 07:00:00+00', "
        "_dlt_load_id = 'l2' where comment_id = ?",
        [PROMO_COMMENT[4:]],
    )
    con.execute(
        "update raw.web_pages set published_at = '2025-01-09 10:00:00+00', _dlt_load_id = 'l2' "
        "where url = ?",
        [REDATED[4:]],
    )
    # A new reply by someone else to an old comment: the comment and its thread's root, neither
    # of them rewritten, draw one more reply (int_author_posts rewrites them).
    con.execute(
        "insert into raw.web_comments values (?, ?, ?, 4, 'Dora', '2025-01-09 12:00:00+00', ?, ?,"
        " ?, 'l2', ?)",
        [
            NEW_REPLY[4:],
            NEW_REPLY[4:].split("#")[0],
            OLD_COMMENT[4:],
            REPLY_TEXT,
            sha256(REPLY_TEXT),
            datetime(2025, 1, 10, tzinfo=UTC),
            NEW_REPLY[4:],
        ],
    )


def _rows(
    wh: DbtWarehouse, relation: str, skip: set[str] = WRITE_TIME_COLUMNS
) -> list[tuple[Any, ...]]:
    """Every row of a table (but the `skip` columns), floats rounded, in one order."""
    schema, table = relation.split(".")
    columns = [
        f'"{name}"'
        for (name,) in wh.query(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        )
        if name not in skip
    ]
    rows = wh.query(f"select {', '.join(columns)} from {relation}")
    rounded = [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]
    return sorted(rounded, key=repr)


def _all_rows(wh: DbtWarehouse, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """`_rows` of each table, read through one connection."""
    with wh.reading():
        return {table: _rows(wh, table) for table in tables}


def _tables(wh: DbtWarehouse, schema: str) -> list[str]:
    return [
        f"{schema}.{name}"
        for (name,) in wh.query(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema],
        )
    ]


def _flags(wh: DbtWarehouse, relation: str) -> dict[str, tuple[Any, ...]]:
    return {
        mention_id: (story_id, is_canonical)
        for mention_id, story_id, is_canonical in wh.query(
            f"select mention_id, story_id, is_canonical from {relation}"
        )
    }


def _assert_flags_moved(flags: dict[str, tuple[Any, ...]]) -> None:
    assert flags[EARLIER_COPY] == (EARLIER_COPY, True)
    assert flags[ORIGINAL] == (EARLIER_COPY, False), "the new earlier copy demotes the original"
    assert flags[MIRROR] == (MIRROR, True), "the rewritten mirror left the article's group"
    assert flags[LATER_COPY] == ("web:https://news.example/panne-nuage", False)
    assert flags[PROMO_PAGE] == (PROMO_PAGE, True), "re-dated: the page is now the first"
    assert flags[PROMO_COMMENT] == (PROMO_PAGE, False)


def test_deduplication_ranks_again_only_the_groups_a_load_touches(tmp_path) -> None:
    wh = new_warehouse(tmp_path)
    wh.execute(create_raw)
    first = wh.dbt("run", "--select", "+int_mentions_deduplicated")
    assert first.success, failed_nodes(first)
    # A mark on a row of a group no new row touches: an incremental run leaves it there.
    mark = "update intermediate.int_mentions_deduplicated set lang_hint = ? where mention_id = ?"
    wh.execute(lambda con: con.execute(mark, ["untouched", UNTOUCHED]))

    wh.execute(second_load)
    again = wh.dbt("run", "--select", "int_mentions", "int_mentions_deduplicated")
    assert again.success, failed_nodes(again)
    lang = "select lang_hint from intermediate.int_mentions_deduplicated where mention_id = ?"
    assert wh.query(lang, [UNTOUCHED]) == [("untouched",)], "an untouched group is not rewritten"
    wh.execute(lambda con: con.execute(mark, ["fr", UNTOUCHED]))
    _assert_flags_moved(_flags(wh, "intermediate.int_mentions_deduplicated"))
    incremental = _rows(wh, "intermediate.int_mentions_deduplicated", skip=set())

    full = wh.dbt("run", "--select", "int_mentions_deduplicated", "--full-refresh")
    assert full.success, failed_nodes(full)
    assert incremental == _rows(wh, "intermediate.int_mentions_deduplicated", skip=set())


def _enrich_second_load(con: duckdb.DuckDBPyConnection) -> None:
    """What the enrichment step writes after the second load: the new copies and the rewritten
    mirror (its content hash changed); the re-dated comment keeps its enrichment."""
    con.execute("drop schema enrichment cascade")
    create_enrichment(con, [*ENRICHED, *NEW_POSTS])
    con.execute(
        "update enrichment.mention_enrichment set enriched_at = now() "
        "where mention_id in (?, ?, ?)",
        [EARLIER_COPY, LATER_COPY, MIRROR],
    )


def _compiled_test(wh: DbtWarehouse, name: str) -> str:
    (path,) = (wh.work / "target" / "compiled").rglob(f"{name}.sql")
    return path.read_text()


def test_every_table_after_an_incremental_build_equals_a_full_rebuild(built, tmp_path) -> None:
    wh = built.copy_to(tmp_path)
    wh.execute(second_load)
    before = wh.dbt("build", "--exclude", AFTER_ENRICHMENT, "--vars", BUILD_VARS)
    assert before.success, failed_nodes(before)
    wh.execute(_enrich_second_load)
    # A row an earlier run wrote and tested: this run's tests of fct_mentions do not read it.
    blank = "update marts.fct_mentions set sentiment_label = ? where mention_id = ?"
    wh.execute(lambda con: con.execute(blank, [None, UNTOUCHED]))
    after = wh.dbt("build", "--select", AFTER_ENRICHMENT, "--vars", BUILD_VARS)
    assert after.success, failed_nodes(after)
    assert "max(refreshed_at)" in _compiled_test(wh, "not_null_fct_mentions_sentiment_label")
    wh.execute(lambda con: con.execute(blank, ["positive", UNTOUCHED]))
    _assert_flags_moved(_flags(wh, "marts.fct_mentions"))
    tables = _tables(wh, "intermediate") + _tables(wh, "marts")
    assert "marts.mart_share_of_voice" in tables
    incremental = _all_rows(wh, tables)

    full = wh.dbt("build", "--full-refresh", "--vars", BUILD_VARS)
    assert full.success, failed_nodes(full)
    assert "max(refreshed_at)" not in _compiled_test(wh, "not_null_fct_mentions_sentiment_label")
    rebuilt = _all_rows(wh, tables)
    for table in tables:
        assert incremental[table] == rebuilt[table], f"{table} differs from a full rebuild"
