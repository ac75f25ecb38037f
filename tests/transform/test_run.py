"""enrich_new_mentions into a temporary DuckDB: contract tables and incremental reprocessing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from core.config import EcouteConfig, parse_config
from transform import run

BRANDS: list[dict[str, object]] = [
    {"name": "Nuage", "aliases": ["Nuage Télécom", "Nuage Telecom"]},
    {"name": "Zest", "competitor": True, "aliases": ["Zest Mobile"]},
]


def make_config(tmp_path: Path, brands: list[dict[str, object]] = BRANDS) -> EcouteConfig:
    data = {
        "project": {"name": "t"},
        "brands": brands,
        "warehouse": {"path": "w.duckdb", "serving_path": "s.duckdb"},
        # The rules: their per-brand labels below are known by construction.
        "sentiment": {"backend": "rules"},
    }
    return parse_config(data, base_dir=tmp_path)


def seed(path: Path, rows: list[tuple[str, str | None, str, str]]) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists intermediate")
    con.execute(
        "create or replace table intermediate.int_mentions (mention_id varchar, "
        "title varchar, text varchar, content_hash varchar, kind varchar, lang_hint varchar, "
        "source varchar, site varchar)"
    )
    con.executemany(
        "insert into intermediate.int_mentions values (?, ?, ?, ?, "
        "case when starts_with(?, 'web:') then 'article' else 'comment' end, "
        "case when starts_with(?, 'web:') then 'fr' end, split_part(?, ':', 1), null)",
        [(*row, row[0], row[0], row[0]) for row in rows],
    )
    con.close()


@pytest.mark.slow
def test_enrich_new_mentions_is_incremental(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    db = tmp_path / "w.duckdb"
    rows = [
        (
            "web:a",
            "Panne",
            "Le réseau Nuage Télécom est en panne depuis trois jours, honteux",
            "h1",
        ),
        ("hn:1", None, "I left Zest Mobile for Nuage Telecom, the network is so much better", "h2"),
        ("hn:2", None, "ok", "h3"),
    ]
    seed(db, rows)
    first = run.enrich_new_mentions(config, batch_size=2)
    assert (first.pending, first.enriched, first.errors) == (3, 3, 0)
    assert run.enrich_new_mentions(config).pending == 0

    rows[2] = ("hn:2", None, "Nuage Telecom support fixed my outage, thank you so much", "h3b")
    seed(db, [*rows, ("hn:3", None, "Zest Mobile is great", "h4")])
    again = run.enrich_new_mentions(config)
    assert (again.pending, again.enriched) == (2, 2)

    con = duckdb.connect(str(db), read_only=True)
    enriched = dict(
        con.execute("select mention_id, content_hash from enrichment.mention_enrichment").fetchall()
    )
    assert enriched == {"web:a": "h1", "hn:1": "h2", "hn:2": "h3b", "hn:3": "h4"}
    brands = con.execute(
        "select e.mention_id, b.brand, b.rule, b.sentiment_label"
        " from enrichment.mention_enrichment e join enrichment.mention_enrichment__brands b"
        " on b._dlt_root_id = e._dlt_id"
        " where e.mention_id = 'hn:1' order by b.brand"
    ).fetchall()
    assert brands == [("hn:1", "Nuage", "alias", "positive"), ("hn:1", "Zest", "alias", "negative")]
    confidences = con.execute(
        "select e.sentiment_confidence, e.sentiment_scored, e.sentiment_backend,"
        " b.sentiment_confidence, b.sentiment_rule"
        " from enrichment.mention_enrichment e join enrichment.mention_enrichment__brands b"
        " on b._dlt_root_id = e._dlt_id where e.mention_id = 'hn:1' order by b.brand"
    ).fetchall()
    for post_confidence, scored, backend, brand_confidence, rule in confidences:
        assert 0 < post_confidence <= 1 and 0 < brand_confidence <= 1
        assert scored is True and backend == "rules" and rule == "switch"
    explanations = con.execute(
        "select b.match_explanation from enrichment.mention_enrichment__brands b"
    ).fetchall()
    assert explanations and all(json.loads(e)["spans"] for (e,) in explanations)
    assert con.execute("select count(*) from enrichment.brands").fetchall() == [(2,)]
    keywords = "select count(*) from enrichment.mention_enrichment__keywords"
    assert con.execute(keywords).fetchall()[0][0]
    con.close()

    # A brand-rule change changes the version: everything is redone.
    changed = make_config(tmp_path, [*BRANDS, {"name": "Célest", "competitor": True}])
    redo = run.enrich_new_mentions(changed)
    assert redo.version != first.version and redo.pending == 4


def test_to_row_carries_confidence_and_the_unscored_flag() -> None:
    unscored = {"label": "neutral", "score": 0.0, "confidence": 0.0, "scored": False}
    result = {
        "id": "x",
        "lang": "es",
        "lang_confidence": 0.9,
        "sentiment": unscored,
        "brands": [
            {
                "brand": "B",
                "alias": "B",
                "rule": "alias",
                "sentiment": unscored,
                "sentiment_rule": "unscored",
            }
        ],
        "entities": [],
        "keywords": [],
    }
    row = run.to_row(result, "h", "v1", "linear")
    assert row["sentiment_confidence"] == 0.0 and row["sentiment_scored"] is False
    assert row["sentiment_backend"] == "linear"
    [brand] = row["brands"]
    assert brand["sentiment_confidence"] == 0.0 and brand["sentiment_rule"] == "unscored"


@pytest.mark.slow
def test_the_enrichment_load_waits_out_a_lock_taken_after_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process takes the DuckDB file between the enrichment work and its load: the load
    waits it out (nothing is enriched twice), then lands once."""
    import logging

    import dlt

    from tests.core.test_lock_retry import hold

    config = make_config(tmp_path)
    db = tmp_path / "w.duckdb"
    seed(db, [("hn:1", None, "Nuage Telecom fixed my outage, thank you", "h1")])
    holders = []
    normalize = dlt.Pipeline.normalize

    def normalize_then_lock(self, *args, **kwargs):
        info = normalize(self, *args, **kwargs)
        holders.append(hold(db, 1.5))  # a real second process, read-only on the file
        return info

    monkeypatch.setattr(dlt.Pipeline, "normalize", normalize_then_lock)
    with caplog.at_level(logging.WARNING, logger="core.warehouse"):
        summary = run.enrich_new_mentions(config)
    holders[0].wait(timeout=10)
    assert f"locked by PID {holders[0].pid}" in caplog.text  # the load met the lock and waited
    assert (summary.pending, summary.enriched) == (1, 1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from enrichment.mention_enrichment").fetchone() == (1,)
    con.close()


@pytest.mark.slow
def test_each_chunk_is_its_own_load_so_a_killed_run_keeps_what_it_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(tmp_path)
    db = tmp_path / "w.duckdb"
    seed(db, [(f"hn:{i}", None, f"Nuage Telecom post {i}", f"h{i}") for i in range(7)])
    to_row = run.to_row
    written: list[str] = []

    def dies_on_the_fifth(result: dict, *args: object) -> dict:
        if len(written) == 4:
            raise RuntimeError("killed")  # as a run dying while chunk three is enriched
        written.append(result["id"])
        return to_row(result, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "to_row", dies_on_the_fifth)
    with pytest.raises(PipelineStepFailed, match="killed"):
        run.enrich_new_mentions(config, batch_size=2, chunk_size=2)
    monkeypatch.setattr(run, "to_row", to_row)
    con = duckdb.connect(str(db), read_only=True)
    kept = con.execute("select mention_id from enrichment.mention_enrichment order by 1").fetchall()
    con.close()
    assert [k for (k,) in kept] == ["hn:0", "hn:1", "hn:2", "hn:3"]  # chunks one and two

    rest = run.enrich_new_mentions(config, batch_size=2, chunk_size=2)
    assert (rest.pending, rest.enriched) == (3, 3)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select count(*), count(distinct mention_id) from enrichment.mention_enrichment"
    ).fetchone()
    brands = con.execute("select count(*) from enrichment.mention_enrichment__brands").fetchone()
    con.close()
    assert rows == (7, 7) and brands == (7,)
