"""A reply to a reply belongs to its thread's root (file import, Mastodon), not to its parent."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from core.raw_schema import IMPORT_POSTS, MASTODON_POSTS, create_table_sql
from tests.dbt.conftest import create_raw, failed_nodes, new_warehouse

pytestmark = pytest.mark.slow
AT = datetime(2026, 11, 2, 9, tzinfo=UTC)


def seed(con: duckdb.DuckDBPyConnection) -> None:
    create_raw(con)
    for table in (IMPORT_POSTS, MASTODON_POSTS):
        con.execute(f"drop table if exists raw.{table.name}")
        con.execute(create_table_sql(table))
    for post_id, original, parent, root in [
        ("forum:1", "1", None, "1"),
        ("forum:2", "2", "1", "1"),
        ("forum:3", "3", "2", "1"),  # answers a reply
        ("forum:4", "4", "9", "9"),  # its thread's root was never collected
    ]:
        con.execute(
            "insert into raw.import_posts (post_id, origin, platform, original_id, author,"
            " published_at, text, parent_id, thread_id, file, fetched_at, _dlt_load_id, _dlt_id)"
            " values (?, 'forum', 'forum', ?, 'ana', ?, 'Nuage encore en panne', ?, ?, 'f', ?,"
            " 'l1', ?)",
            [post_id, original, AT, parent, root, AT, post_id],
        )
    for status, parent, root in [("10", None, "10"), ("11", "10", "10"), ("12", "11", "10")]:
        con.execute(
            "insert into raw.mastodon_posts (uri, instance, status_id, author, created_at, text,"
            " in_reply_to_id, thread_id, fetched_at, _dlt_load_id, _dlt_id)"
            " values (?, 'm.example', ?, 'bea', ?, 'Nuage répond enfin', ?, ?, ?, 'l1', ?)",
            [f"https://m.example/s/{status}", status, AT, parent, root, AT, status],
        )


def test_replies_point_at_their_parent_and_their_root(tmp_path) -> None:
    wh = new_warehouse(tmp_path)
    wh.execute(seed)
    result = wh.dbt("run", "--select", "+int_social_mentions")
    assert result.success, failed_nodes(result)
    rows = dict(
        (mention_id, (parent, thread))
        for mention_id, parent, thread in wh.query(
            "select mention_id, parent_mention_id, thread_id from intermediate.int_social_mentions"
            " where source in ('import', 'mastodon')"
        )
    )
    assert rows["import:forum:3"] == ("import:forum:2", "import:forum:1")
    assert rows["import:forum:2"] == ("import:forum:1", "import:forum:1")
    assert rows["import:forum:1"] == (None, "import:forum:1")
    assert rows["import:forum:4"] == (None, "import:forum:4")
    root = "mastodon:https://m.example/s/10"
    assert rows["mastodon:https://m.example/s/12"] == ("mastodon:https://m.example/s/11", root)
