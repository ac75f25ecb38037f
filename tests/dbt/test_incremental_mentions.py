"""int_mentions is incremental: a second load's rows, and the rows that hang on them, are rewritten;
the table then equals a full rebuild's."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from core.raw_schema import IMPORT_POSTS, MASTODON_POSTS, create_table_sql
from tests.dbt.conftest import create_raw, failed_nodes, new_warehouse

pytestmark = pytest.mark.slow
AT = datetime(2026, 11, 2, 9, tzinfo=UTC)
PAGE = "https://news.example/panne-nuage"
COLUMNS = (
    "mention_id, source, site, kind, url, title, text, author_id, author_name, published_at, "
    "thread_id, parent_mention_id, content_hash, lang_hint"
)


def _import(con: duckdb.DuckDBPyConnection, post_id: str, parent: str | None, load: str) -> None:
    con.execute(
        "insert into raw.import_posts (post_id, origin, platform, original_id, author,"
        " published_at, text, parent_id, thread_id, file, fetched_at, _dlt_load_id, _dlt_id)"
        " values (?, 'forum', 'forum', ?, 'ana', ?, 'Nuage encore en panne', ?, ?, 'f', ?, ?, ?)",
        [f"forum:{post_id}", post_id, AT, parent, parent or post_id, AT, load, post_id],
    )


def _mastodon(con: duckdb.DuckDBPyConnection, status: str, parent: str | None, load: str) -> None:
    con.execute(
        "insert into raw.mastodon_posts (uri, instance, status_id, author, created_at, text,"
        " in_reply_to_id, thread_id, fetched_at, _dlt_load_id, _dlt_id)"
        " values (?, 'm.example', ?, 'bea', ?, 'Nuage répond enfin', ?, ?, ?, ?, ?)",
        [f"https://m.example/s/{status}", status, AT, parent, parent or status, AT, load, status],
    )


def first_load(con: duckdb.DuckDBPyConnection) -> None:
    """The fixture world, with replies whose parents are not collected yet."""
    create_raw(con)
    for table in (IMPORT_POSTS, MASTODON_POSTS):
        con.execute(f"drop table if exists raw.{table.name}")
        con.execute(create_table_sql(table))
    _import(con, "2", "1", "l1")
    _mastodon(con, "11", "10", "l1")


def second_load(con: duckdb.DuckDBPyConnection) -> None:
    """A later load: the replies' parents, a page retitled (its comments take the title), the HN
    story retitled (its replies take it), one new page."""
    _import(con, "1", None, "l2")
    _mastodon(con, "10", None, "l2")
    con.execute(
        "update raw.web_pages set title = 'Panne réparée', _dlt_load_id = 'l2' where url = ?",
        [PAGE],
    )
    con.execute(
        "update raw.hackernews_items set title = 'Fibrea 10G, one year on', _dlt_load_id = 'l2' "
        "where object_id = '1001'"
    )
    con.execute(
        "insert into raw.web_pages select replace(url, 'panne', 'retour'), site, title, author,"
        " published_at, text, content_hash, lang_hint, fetched_at, http_etag,"
        " http_last_modified, 'l2', 'new' from raw.web_pages where url = ?",
        [PAGE],
    )


def test_a_later_load_rewrites_its_rows_and_those_hanging_on_them(tmp_path) -> None:
    wh = new_warehouse(tmp_path)
    wh.execute(first_load)
    first = wh.dbt("run", "--select", "+int_mentions")
    assert first.success, failed_nodes(first)
    before = dict(wh.query("select mention_id, _dlt_load_id from intermediate.int_mentions"))
    assert set(before.values()) == {"l1"}
    orphan = wh.query(
        "select parent_mention_id from intermediate.int_mentions where mention_id = ?",
        ["mastodon:https://m.example/s/11"],
    )
    assert orphan == [(None,)]

    wh.execute(second_load)
    again = wh.dbt("run", "--select", "int_mentions")
    assert again.success, failed_nodes(again)
    incremental = sorted(wh.query(f"select {COLUMNS} from intermediate.int_mentions"))
    rewritten = {
        mention_id
        for mention_id, load in wh.query(
            "select mention_id, _dlt_load_id from intermediate.int_mentions"
        )
        if load == "l2"
    }
    assert f"web:{PAGE}#c1" in rewritten and "hn:1002" in rewritten
    assert "mastodon:https://m.example/s/11" in rewritten and "import:forum:2" in rewritten
    assert "web:https://news.example/nuage-fibre" not in rewritten, "untouched rows stay"

    full = wh.dbt("run", "--select", "int_mentions", "--full-refresh")
    assert full.success, failed_nodes(full)
    assert incremental == sorted(wh.query(f"select {COLUMNS} from intermediate.int_mentions"))
    replies = dict(
        wh.query(
            "select mention_id, parent_mention_id from intermediate.int_mentions "
            "where mention_id in ('mastodon:https://m.example/s/11', 'import:forum:2')"
        )
    )
    assert replies == {
        "mastodon:https://m.example/s/11": "mastodon:https://m.example/s/10",
        "import:forum:2": "import:forum:1",
    }
