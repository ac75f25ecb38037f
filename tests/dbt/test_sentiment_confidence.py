"""Sentiment confidence, the unscored flag, the backend and the per-brand rule reach the marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dbt.conftest import BUILD_VARS, DbtWarehouse, failed_nodes


def add_model_columns(con: duckdb.DuckDBPyConnection) -> None:
    """The columns `transform.run.to_row` writes today, on the fixture's older-shaped tables."""
    con.execute(
        "alter table enrichment.mention_enrichment add column sentiment_confidence double;"
        "alter table enrichment.mention_enrichment add column sentiment_scored boolean;"
        "alter table enrichment.mention_enrichment add column sentiment_backend varchar;"
        "alter table enrichment.mention_enrichment__brands add column sentiment_confidence double;"
        "alter table enrichment.mention_enrichment__brands add column sentiment_rule varchar;"
        "update enrichment.mention_enrichment"
        " set sentiment_confidence = 0.5 + abs(sentiment_score) / 2,"
        " sentiment_scored = true, sentiment_backend = 'linear';"
        "update enrichment.mention_enrichment__brands set sentiment_confidence = 0.75,"
        " sentiment_rule = 'clause';"
    )
    (first,) = con.execute(
        "select mention_id from enrichment.mention_enrichment order by mention_id limit 1"
    ).fetchall()[0]
    con.execute(
        "update enrichment.mention_enrichment set sentiment_scored = false,"
        " sentiment_confidence = 0, sentiment_label = 'neutral', sentiment_score = 0"
        " where mention_id = ?",
        [first],
    )


@pytest.mark.slow
def test_confidence_and_backend_reach_both_facts(built: DbtWarehouse, tmp_path: Path) -> None:
    wh = built.copy_to(tmp_path)
    # Built from tables without the columns: old rows read as scored by the rules, no confidence.
    assert wh.query(
        "select distinct sentiment_backend, is_sentiment_scored, sentiment_confidence"
        " from marts.fct_mentions"
    ) == [("rules", True, None)]
    wh.execute(add_model_columns)
    result = wh.dbt("build", "--exclude", "+int_mentions", "--full-refresh", "--vars", BUILD_VARS)
    assert result.success, failed_nodes(result)
    mentions = wh.query(
        "select f.mention_id, f.sentiment_confidence, f.is_sentiment_scored, f.sentiment_backend,"
        " e.sentiment_confidence from marts.fct_mentions f"
        " join enrichment.mention_enrichment e using (mention_id)"
    )
    assert mentions and all(f == e and backend == "linear" for _, f, _, backend, e in mentions)
    assert sorted({scored for _, _, scored, _, _ in mentions}) == [False, True]
    brands = wh.query(
        "select sentiment_confidence, sentiment_rule, sentiment_backend, post_sentiment_label,"
        " enrichment_version from marts.fct_brand_mentions"
    )
    assert brands and {(c, r, b) for c, r, b, _, _ in brands} == {(0.75, "clause", "linear")}
    assert all(post is not None and version for *_, post, version in brands)
