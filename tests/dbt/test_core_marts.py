"""The dbt project built for real on a temporary DuckDB: contracts, dedup, sentiment, SoV."""

from __future__ import annotations

import json

import pytest

from core import warehouse
from core.config import parse_config
from tests.dbt.conftest import (
    BLUESKY_POSTS,
    COMMENTS,
    ENRICHED,
    HN_ITEMS,
    PAGES,
    REDDIT_POSTS,
    DbtWarehouse,
    Post,
    create_enrichment,
    create_raw,
    failed_nodes,
    new_warehouse,
)

pytestmark = pytest.mark.slow

N_MENTIONS = len(PAGES) + len(COMMENTS) + len(HN_ITEMS) + len(REDDIT_POSTS) + len(BLUESKY_POSTS)
INT_MENTIONS_COLUMNS = [
    "mention_id",
    "source",
    "site",
    "kind",
    "url",
    "title",
    "text",
    "author_id",
    "author_name",
    "published_at",
    "thread_id",
    "parent_mention_id",
    "content_hash",
    "lang_hint",
    "_dlt_load_id",  # the newest raw load seen by the build that wrote the row (incremental)
]


def test_parse_writes_a_manifest_with_every_model_and_column_described(tmp_path):
    wh = new_warehouse(tmp_path)
    result = wh.dbt("parse")
    assert result.success
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {
        "int_mentions",
        "fct_mentions",
        "fct_brand_mentions",
        "dim_brands",
        "mart_brand_sentiment_daily",
        "mart_share_of_voice",
    } <= {m["name"] for m in models}
    undocumented = [m["name"] for m in models if not m["description"]]
    undocumented += [
        f"{m['name']}.{c}"
        for m in models
        for c, col in m["columns"].items()
        if not col["description"]
    ]
    assert undocumented == []
    schemas = {m["name"]: m["schema"] for m in models}
    assert schemas["stg_web__pages"] == "staging"
    assert schemas["int_mentions"] == "intermediate"
    assert schemas["fct_mentions"] == "marts"


def test_dbt_runs_under_the_warehouse_s_duckdb_limits(tmp_path):
    """ecoute.yml's memory limit and threads reach dbt's DuckDB session through `dbt_vars`."""
    wh = new_warehouse(tmp_path)
    config = parse_config(
        {
            "project": {"name": "t"},
            "brands": [{"name": "A"}],
            "warehouse": {"path": str(wh.path), "memory_limit": "300MB", "threads": 1},
        }
    )
    sql = (
        "select current_setting('memory_limit') as memory, current_setting('threads') as threads, "
        "current_setting('TimeZone') as zone"
    )
    vars_ = json.dumps(warehouse.dbt_vars(config))
    result = wh.dbt("show", "--inline", sql, "--vars", vars_)
    assert result.success, result.exception
    row = result.result.results[0].agate_table.rows[0]
    assert (row["memory"], row["threads"], row["zone"]) == ("286.1 MiB", 1, "UTC")


def test_int_mentions_follows_the_contract(built: DbtWarehouse):
    columns = [
        r[0]
        for r in built.query(
            "select column_name from information_schema.columns where table_schema = "
            "'intermediate' and table_name = 'int_mentions' order by ordinal_position"
        )
    ]
    assert columns == INT_MENTIONS_COLUMNS
    rows = dict(
        (r[0], r[1:])
        for r in built.query(
            "select mention_id, kind, author_id, thread_id, parent_mention_id "
            "from intermediate.int_mentions"
        )
    )
    assert len(rows) == N_MENTIONS
    assert rows["web:https://news.example/panne-nuage#c2"] == (
        "comment",
        "web:bob",
        "web:https://news.example/panne-nuage",
        "web:https://news.example/panne-nuage#c1",
    )
    assert rows["hn:1003"] == ("reply", "hackernews:pg", "hn:1001", "hn:1002")
    assert rows["reddit:t1_bb"] == ("reply", "reddit:u2", "reddit:t3_aa", "reddit:t3_aa")
    assert rows["bluesky:at://did/p2"] == (
        "reply",
        "bluesky:leo.bsky.social",
        "bluesky:at://did/p1",
        "bluesky:at://did/p1",
    )
    # "Chloé" and "chloé" are one author
    assert rows["web:https://news.example/panne-nuage#c3"][1] == "web:chloé"


def test_every_source_quarantine_is_counted(built: DbtWarehouse):
    """API quarantines reach the union too; a source that never quarantined has no table."""
    rows = built.query("select source, quarantine_id from staging.stg_raw__quarantine order by 1")
    assert rows == [("reddit", "q2"), ("web", "q1")]


def test_syndicated_copy_is_counted_once(built: DbtWarehouse):
    copies = built.query(
        "select mention_id, story_id, is_canonical, copy_kind from marts.fct_mentions "
        "where story_id = 'web:https://news.example/nuage-fibre' order by mention_id"
    )
    assert copies == [
        (
            "web:https://mirror.example/nuage-fibre",
            "web:https://news.example/nuage-fibre",
            False,
            "exact_copy",
        ),
        (
            "web:https://news.example/nuage-fibre",
            "web:https://news.example/nuage-fibre",
            True,
            "original",
        ),
    ]
    day = built.query(
        "select mentions from marts.mart_brand_sentiment_daily "
        "where brand = 'Nuage' and day = date '2025-01-06'"
    )
    assert day == [(1,)]


def test_only_enriched_mentions_reach_the_facts(built: DbtWarehouse):
    ids = {r[0] for r in built.query("select mention_id from marts.fct_mentions")}
    assert ids == {post.mention_id for post in ENRICHED}
    assert "hn:1003" not in ids


def test_brand_level_sentiment_differs_within_one_mention(built: DbtWarehouse):
    rows = built.query(
        "select brand, sentiment_label, matched_alias, match_rule, url, title "
        "from marts.fct_brand_mentions where mention_id = 'hn:1002' order by brand"
    )
    link = "https://news.ycombinator.com/item?id=1002"
    assert rows == [
        ("Fibrea", "positive", "Fibrea", "alias", link, "Fibrea launches 10G home fibre"),
        ("Nuage", "negative", "Nuage", "alias", link, "Fibrea launches 10G home fibre"),
    ]


def test_daily_sentiment_ratios(built: DbtWarehouse):
    row = built.query(
        "select mentions, positive_mentions, negative_mentions, neutral_mentions, "
        "negative_share, net_sentiment from marts.mart_brand_sentiment_daily "
        "where brand = 'Nuage' and day = date '2025-01-08'"
    )
    assert row == [(4, 0, 3, 1, 0.75, -0.75)]


def test_share_of_voice_sums_to_one_per_period(built: DbtWarehouse):
    sums = built.query(
        "select period_grain, period_start, sum(share) from marts.mart_share_of_voice group by 1, 2"
    )
    assert sums and all(abs(total - 1) < 1e-9 for *_, total in sums)
    week = dict(
        (r[0], r[1:])
        for r in built.query(
            "select brand, mentions, share from marts.mart_share_of_voice "
            "where period_grain = 'week' and period_start = date '2025-01-06'"
        )
    )
    # Nuage: 1 article (copy not counted) + outage + 3 comments + HN reply = 6;
    # all brands: Nuage 6, Fibrea 2, Zest 1 (promo copy not counted), Célest 2 + 8 crisis = 19
    assert week["Nuage"] == (6, pytest.approx(6 / 19))
    assert week["Célest"] == (10, pytest.approx(10 / 19))


def test_incremental_run_matches_a_full_refresh(built: DbtWarehouse, tmp_path):
    """Enrich the left-out reply, rebuild incrementally, compare with a full refresh."""
    built = built.copy_to(tmp_path)

    def enrich_reply(con):
        late = Post("hn:1003", "positive", 0.6, (("Fibrea", "Fibrea", "positive", 0.6),))
        con.execute("drop schema enrichment cascade")
        create_enrichment(con, [*ENRICHED, late])
        con.execute(
            "update enrichment.mention_enrichment set enriched_at = now() "
            "where mention_id = 'hn:1003'"
        )

    built.execute(enrich_reply)
    marts = ["fct_mentions", "fct_brand_mentions", "mart_brand_sentiment_daily"]
    keys = {
        "fct_mentions": "mention_id, story_id, is_canonical, sentiment_label",
        "fct_brand_mentions": "mention_id, brand, is_canonical, sentiment_label",
        "mart_brand_sentiment_daily": "brand, day, mentions, negative_share, net_sentiment",
    }
    refreshed_sql = "select refreshed_at from marts.fct_mentions where mention_id = ?"
    untouched = "web:https://news.example/nuage-fibre"
    before = built.query(refreshed_sql, [untouched])
    incremental = built.dbt("build", "--select", *marts)
    assert incremental.success, failed_nodes(incremental)
    assert built.query(refreshed_sql, [untouched]) == before  # not rewritten
    assert built.query(refreshed_sql, ["hn:1003"])[0][0] > before[0][0]
    after_incremental = {
        m: built.query(f"select {keys[m]} from marts.{m} order by 1, 2") for m in marts
    }
    assert ("hn:1003", "hn:1003", True, "positive") in after_incremental["fct_mentions"]
    full = built.dbt("build", "--select", *marts, "--full-refresh")
    assert full.success, failed_nodes(full)
    after_full = {m: built.query(f"select {keys[m]} from marts.{m} order by 1, 2") for m in marts}
    assert after_incremental == after_full


@pytest.mark.parametrize("enrichment", ["empty", "missing"])
def test_marts_build_before_any_enrichment(tmp_path, enrichment):
    """First run: enrichment tables empty (or not created yet by dlt) — everything still builds."""
    wh = new_warehouse(tmp_path)
    wh.execute(create_raw)
    if enrichment == "empty":
        wh.execute(create_enrichment, [])
    result = wh.dbt("build")
    assert result.success, failed_nodes(result)
    assert wh.query("select count(*) from intermediate.int_mentions") == [(N_MENTIONS,)]
    assert wh.query("select count(*) from marts.fct_mentions") == [(0,)]
    assert wh.query("select count(*) from marts.mart_share_of_voice") == [(0,)]


def test_duplicate_mention_id_fails_and_blocks_the_marts(tmp_path):
    wh = new_warehouse(tmp_path)

    def world_with_duplicate(con):
        create_raw(con)
        create_enrichment(con)
        con.execute(
            "insert into enrichment.mention_enrichment select * replace ('dup' as _dlt_id) "
            "from enrichment.mention_enrichment where mention_id = 'hn:1001'"
        )

    wh.execute(world_with_duplicate)
    result = wh.dbt("build")
    assert not result.success
    failed = failed_nodes(result)
    assert any(
        name.startswith("unique_stg_enrichment__mention_enrichment_mention_id") for name in failed
    ), failed
    skipped = {r.node.name for r in result.result if str(r.status) == "skipped"}
    assert {"fct_mentions", "fct_brand_mentions", "mart_brand_sentiment_daily"} <= skipped
    assert not wh.relation_exists("marts", "fct_mentions")


def test_source_freshness_flags_stale_raw_tables(built: DbtWarehouse, tmp_path):
    built = built.copy_to(tmp_path)
    stale = built.dbt("source", "freshness")
    assert not stale.success  # the fixture was fetched in January 2025
    built.execute(
        lambda con: [
            con.execute(f"update raw.{t} set fetched_at = now()")
            for t in ("web_pages", "web_comments", "hackernews_items")
        ]
    )
    fresh = built.dbt("source", "freshness")
    assert fresh.success, failed_nodes(fresh)
