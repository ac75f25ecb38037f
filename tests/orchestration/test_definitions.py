"""The Dagster definitions load, and the asset graph runs from every source to every mart."""

from __future__ import annotations

import dagster as dg
import pytest

from tests.conftest import write_demo_config


@pytest.fixture(scope="module")
def definitions(tmp_path_factory: pytest.TempPathFactory) -> dg.Definitions:
    from core.config import load_config
    from orchestration.definitions import build_definitions

    folder = tmp_path_factory.mktemp("defs")
    return build_definitions(load_config(write_demo_config(folder, port=1)))


def _ancestors(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen: set[dg.AssetKey] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_mart_reaches_every_source(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    marts = [
        graph.get(k).key for k in graph.get_all_asset_keys() if graph.get(k).group_name == "marts"
    ]
    assert {"fct_mentions", "mart_brand_sentiment_daily", "mart_share_of_voice"} <= {
        m.path[-1] for m in marts
    }
    for mart in marts:
        upstream = {k.to_user_string() for k in _ancestors(graph, mart)}
        assert {"external/web", "external/hackernews"} <= upstream, mart
        # Clusters group raw texts and the community's bands count posts: both precede enrichment.
        if mart.path[-1] not in ("mart_story_clusters", "mart_community_bands"):
            assert "enrichment/mention_enrichment" in upstream, mart
    serving = _ancestors(graph, dg.AssetKey(["serving", "marts"]))
    assert set(marts) <= serving
    assert {"raw/web_pages", "raw/web_comments", "raw/hackernews_items"} <= keys


def test_job_schedule_and_checks(definitions: dg.Definitions) -> None:
    job = definitions.resolve_job_def("build_everything")
    assert job is not None
    schedule = definitions.resolve_schedule_def("hourly_build")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    graph = definitions.resolve_asset_graph()
    checks = {c.name for c in graph.asset_check_keys}
    assert any(name.startswith("unique_") for name in checks), "dbt tests become asset checks"


def test_every_warehouse_writer_shares_one_pool(definitions: dg.Definitions) -> None:
    from orchestration.lib.settings import WAREHOUSE_POOL

    graph = definitions.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        # monitoring/alert_notifications only reads the serving copy (and its own ledger).
        if node.is_materializable and key != dg.AssetKey(["monitoring", "alert_notifications"]):
            assert node.assets_def.op.pool == WAREHOUSE_POOL, key


def test_every_source_table_has_a_freshness_check(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys}
    for table in ("raw/web_pages", "raw/web_comments", "raw/hackernews_items"):
        assert table in checked
    assert definitions.sensors is not None
    names = {sensor.name for sensor in definitions.sensors}
    assert {"alert_notifications", "freshness_checks_sensor"} <= names


def test_each_enabled_social_source_is_an_asset_feeding_the_mentions(tmp_path):
    import yaml

    from core.config import load_config
    from orchestration.definitions import build_definitions

    path = write_demo_config(tmp_path, port=1)
    data = yaml.safe_load(path.read_text())
    export = tmp_path / "export.jsonl"
    export.write_text('{"text": "Nuage est top", "author": "a", "published_at": "2026-07-01"}\n')
    data["sources"] |= {
        "mastodon": {"instances": ["http://127.0.0.1:1"], "hashtags": ["nuage"]},
        "bluesky": {"base_url": "http://127.0.0.1:1", "queries": ["nuage"]},
        "reddit": {"base_url": "http://127.0.0.1:1", "queries": ["nuage"]},
        "feeds": {"urls": ["http://127.0.0.1:1/feed.xml"]},
        "file_import": {"paths": [str(export)]},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    graph = build_definitions(load_config(path)).resolve_asset_graph()
    mentions = _ancestors(graph, dg.AssetKey(["marts", "fct_mentions"]))
    for source, table in [
        ("mastodon", "mastodon_posts"),
        ("bluesky", "bluesky_posts"),
        ("reddit", "reddit_posts"),
        ("feeds", "feed_entries"),
        ("file_import", "import_posts"),
    ]:
        key = dg.AssetKey(["raw", table])
        assert graph.get(key).is_materializable, table
        assert dg.AssetKey(["external", source]) in graph.get(key).parent_keys
        assert key in mentions, table


def test_sources_not_enabled_are_no_assets(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    # The demo config enables web and hackernews only: no stand-in for the other sources' tables.
    others = ("bluesky_posts", "mastodon_posts", "reddit_posts", "feed_entries", "import_posts")
    for table in others:
        assert f"raw/{table}" not in keys, table
    assert not any(k.startswith(("raw/bluesky", "raw/mastodon", "raw/reddit")) for k in keys)
    assert {"raw/web_pages", "raw/hackernews_items", "raw/corrections"} <= keys


def test_every_asset_has_a_description(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    missing = [
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if not (graph.get(key).description or "").strip()
    ]
    assert not missing


def test_marts_are_day_partitioned_and_the_schedule_builds_the_whole_day(
    definitions: dg.Definitions,
) -> None:
    from orchestration.lib.partitions import WHOLE_BUILD_TAG

    graph = definitions.resolve_asset_graph()
    marts = graph.get(dg.AssetKey(["marts", "fct_mentions"]))
    assert isinstance(marts.partitions_def, dg.DailyPartitionsDefinition)
    assert marts.partitions_def.get_first_partition_key() == "2026-07-01"  # the demo's first day
    assert marts.assets_def.backfill_policy == dg.BackfillPolicy.single_run()
    # What the Python step reads is built unpartitioned, before it.
    assert graph.get(dg.AssetKey(["intermediate", "int_mentions"])).partitions_def is None
    assert graph.get(dg.AssetKey(["enrichment", "mention_enrichment"])).partitions_def is None
    schedule = definitions.resolve_schedule_def("hourly_build")
    with dg.build_schedule_context(repository_def=definitions.get_repository_def()) as context:
        (request,) = schedule.evaluate_tick(context).run_requests or []
    assert request.partition_key == marts.partitions_def.get_last_partition_key()
    assert request.tags[WHOLE_BUILD_TAG] == "true"
