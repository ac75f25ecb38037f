"""The whole asset graph, materialised in-process on a small demo world served on loopback.

The world knows its truth (the incident, the syndicated copies, the homonym noise), so the marts are
checked against what really happened, not against a recorded output.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import RAW_KEYS, DemoBuild, Rerun, assert_no_row_changed, snapshot

pytestmark = pytest.mark.slow


def test_both_builds_succeed_and_publish(demo_build: DemoBuild) -> None:
    for summary in (demo_build.first, demo_build.second):
        assert summary.ok, summary.lines()
        assert not summary.failed_checks, summary.failed_checks
    assert demo_build.second.serving_path
    assert demo_build.first.loaded["web_comments"] > 0
    assert demo_build.first.loaded["hackernews_items"] > 0


def test_every_mention_id_is_unique(demo_build: DemoBuild) -> None:
    for table in ("intermediate.int_mentions", "marts.fct_mentions"):
        total, distinct = demo_build.query(
            f"select count(*), count(distinct mention_id) from {table}"
        )[0]
        assert total == distinct > 0, table


def test_incident_is_the_most_negative_period_of_its_brand(demo_build: DemoBuild) -> None:
    """Of all periods as long as the incident, the incident's holds the most negative mentions of
    its brand, and its negative share stands well above the brand's share the rest of the time."""
    incident = demo_build.world.truth.incident
    daily = {
        day: (mentions, negative)
        for day, mentions, negative in demo_build.query(
            "select day, mentions, negative_mentions from marts.mart_brand_sentiment_daily "
            "where brand = ?",
            [incident.brand],
        )
    }
    length = (incident.last_day - incident.first_day).days + 1

    def window(start):
        days = [start + timedelta(days=i) for i in range(length)]
        return tuple(sum(daily.get(d, (0, 0))[k] for d in days) for k in (0, 1))

    first, last = min(daily), max(daily)
    starts = [first + timedelta(days=i) for i in range((last - first).days - length + 2)]
    worst = max(starts, key=lambda s: window(s)[1])
    assert abs((worst - incident.first_day).days) * 2 <= length, (worst, incident)
    mentions, negative = window(incident.first_day)
    total_mentions = sum(m for m, _ in daily.values()) - mentions
    total_negative = sum(n for _, n in daily.values()) - negative
    assert negative / mentions >= 1.25 * total_negative / total_mentions
    # Where it matters, the share is right: within 0.1 of the world's truth for the incident.
    # (Outside it the learned model reads some of the demo's neutral posts as negative.)
    polarities = [
        post.brands[incident.brand]
        for post in demo_build.world.truth.posts.values()
        if incident.brand in post.brands
        and incident.first_day <= post.published_at.date() <= incident.last_day
    ]
    true_share = polarities.count("negative") / len(polarities)
    assert abs(negative / mentions - true_share) <= 0.1, (negative / mentions, true_share)


def test_syndicated_story_is_counted_once(demo_build: DemoBuild) -> None:
    base = demo_build.server.base_url
    groups = demo_build.world.truth.syndicated
    assert groups, "the demo world has syndicated copies"
    for original, copies in groups.items():
        ids = [f"web:{base}{path}" for path in (original, *copies)]
        marks = ", ".join("?" for _ in ids)
        rows = demo_build.query(
            "select count(*), count(distinct story_id), "
            "sum(case when is_canonical then 1 else 0 end) "
            f"from marts.fct_mentions where mention_id in ({marks})",
            ids,
        )[0]
        assert rows == (len(ids), 1, 1), (original, rows)
    # counted once: the daily mart counts canonical brand mentions only
    daily = demo_build.query("select sum(mentions) from marts.mart_brand_sentiment_daily")[0][0]
    canonical = demo_build.query(
        "select count(*) from marts.fct_brand_mentions where is_canonical"
    )[0][0]
    assert daily == canonical


def test_homonym_noise_is_not_attributed(demo_build: DemoBuild) -> None:
    truth = demo_build.world.truth
    base = demo_build.server.base_url
    homonyms = {truth.posts[k].mention_id(base): truth.posts[k] for k in truth.homonym_posts}
    assert homonyms
    found = demo_build.query("select mention_id, brand from marts.fct_brand_mentions")
    seen = {m for (m,) in demo_build.query("select mention_id from marts.fct_mentions")}
    assert seen & set(homonyms), "some homonym posts were collected"
    for mention_id, brand in found:
        if mention_id in homonyms:
            assert brand in homonyms[mention_id].brands, (mention_id, brand)


def test_second_build_loads_only_what_is_new(demo_build: DemoBuild) -> None:
    truth = demo_build.world.truth
    base = demo_build.server.base_url
    after = snapshot(demo_build.warehouse, "raw", RAW_KEYS)
    for table, rows in demo_build.after_first.items():
        for key, row in rows.items():
            assert after[table][key] == row, (table, key)  # nothing already loaded changed
    new_comments = set(after["web_comments"]) - set(demo_build.after_first["web_comments"])
    expected = {
        p.mention_id(base).removeprefix("web:")
        for p in truth.posts.values()
        if p.source == "web"
        and p.kind in ("comment", "reply")
        and p.published_at > demo_build.cutoff
    }
    assert new_comments == expected
    assert demo_build.second.loaded["web_comments"] == len(expected)
    new_items = set(after["hackernews_items"]) - set(demo_build.after_first["hackernews_items"])
    assert new_items
    for object_id in new_items:
        assert truth.posts[object_id].published_at > demo_build.cutoff - timedelta(minutes=5)
    new_mentions = demo_build.second.loaded["web_pages"] + len(new_comments) + len(new_items)
    assert demo_build.second.enriched == new_mentions


def test_rerun_on_unchanged_sources_changes_no_row(demo_rerun: Rerun) -> None:
    """A third build on unchanged sources (`demo_rerun`, shared with test_dbt_steps, which also
    checks the rebuild after a config edit changes no row)."""
    third = demo_rerun.summary
    assert third.ok
    assert all(n == 0 for n in third.loaded.values()), third.loaded
    assert third.enriched == 0
    assert_no_row_changed(demo_rerun.before, demo_rerun.after)


def test_model_quality_is_stored_once_per_version(demo_build: DemoBuild) -> None:
    rows = demo_build.query(
        "select lang, labelled_rows, macro_f1, enrichment_version from marts.mart_model_quality"
    )
    assert {r[0] for r in rows} == {"en", "fr"}
    assert all(r[1] > 0 and 0 <= r[2] <= 1 and r[3] for r in rows)
    runs = demo_build.query("select count(distinct run_at) from enrichment.evaluation_runs")
    assert runs[0][0] == 1  # two builds, one enrichment version: scored once


def test_streamlit_page_runs_on_the_published_build(demo_build: DemoBuild, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("ECOUTE_CONFIG", str(demo_build.config_file))
    page = AppTest.from_file(str(REPO / "app" / "streamlit_app.py"), default_timeout=120).run()
    assert not page.exception
    # The home page ("Ce matin", French by default) on the published build: what changed, per brand.
    headers = [h.value for h in page.subheader]
    assert any(h.startswith("Ce qui a changé") for h in headers), headers
    assert "Nuage" in headers, headers  # one block per tracked brand


def test_readme_analyst_queries_run(demo_build: DemoBuild) -> None:
    """The two one-query answers the README shows run as printed on the published marts."""
    import re

    import duckdb

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", readme, flags=re.S)
    assert len(queries) == 2
    con = duckdb.connect(str(demo_build.folder / "serving.duckdb"), read_only=True)
    try:
        voices = con.execute(queries[0]).fetchall()
        spike = con.execute(queries[1]).fetchall()
    finally:
        con.close()
    assert {row[1] for row in voices} <= {"advocate", "detractor"} and voices
    assert spike and spike[0][0] == demo_build.world.truth.incident.brand
