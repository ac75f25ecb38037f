"""Enrichment costs that must not grow with the total, with the same output: the pending set read
once then by id, lemma tables read from the model's files, brand exclusions found once per post."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.config import Alias, Brand
from tests.transform.test_run import make_config, seed
from transform import nlp, run
from transform.brands import BrandMatcher


def test_pending_mentions_are_read_once_then_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(tmp_path)
    db = tmp_path / "w.duckdb"
    seed(db, [(f"hn:{i}", None, f"Nuage Télécom post {i}", f"h{i}") for i in range(7)])
    con = duckdb.connect(str(db))
    con.execute("create schema enrichment")
    con.execute(
        "create table enrichment.mention_enrichment as select * from (values "
        "('hn:1', 'h1', 'v1'), ('hn:2', 'old', 'v1'), ('hn:3', 'h3', 'v0')) "
        "as t(mention_id, content_hash, enrichment_version)"
    )
    con.close()
    # hn:1 is done; hn:2's text changed; hn:3 was enriched by another version.
    ids = run.pending_ids(config, "v1")
    assert ids == ["hn:0", "hn:2", "hn:3", "hn:4", "hn:5", "hn:6"]
    con = duckdb.connect(str(db))
    con.execute("delete from intermediate.int_mentions where mention_id = 'hn:4'")
    con.close()
    batches = list(run.pending_batches(config, "v1", 2, ids))
    # Pages follow the ids computed once: a mention gone since (hn:4) is skipped, none re-queried.
    assert [[r["id"] for r in b] for b in batches] == [["hn:0", "hn:2"], ["hn:3", "hn:5"], ["hn:6"]]
    monkeypatch.setattr(run, "READ_BATCHES", 1)  # one read per batch: the same mentions
    one_read_each = list(run.pending_batches(config, "v1", 2, ids))
    assert [[r["id"] for r in b] for b in one_read_each] == [
        ["hn:0", "hn:2"],
        ["hn:3"],
        ["hn:5", "hn:6"],
    ]
    assert batches[0][1] == {
        "id": "hn:2",
        "content_hash": "h2",
        "text": "Nuage Télécom post 2",
        "lang_hint": None,
        "source": "hn",
        "site": None,
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_lemma_tables_from_the_files_are_the_models_own(lang: str) -> None:
    import spacy

    name = nlp.model_name(lang)
    if name is None:
        pytest.skip(f"no spaCy model for {lang}")
    loaded = spacy.load(name, exclude=[p for p in nlp.EXCLUDED_COMPONENTS if p != "lemmatizer"])
    lookups = loaded.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    read = nlp._lemma_lookups(name)
    assert sorted(read.tables) == sorted(lookups.tables)
    for table in lookups.tables:
        assert dict(read.get_table(table).items()) == dict(lookups.get_table(table).items())


def test_a_post_seen_again_gives_the_same_brands_and_spans() -> None:
    brands = [
        Brand(
            name="Nuage",
            aliases=[Alias(text="Nuage Télécom"), Alias(text="Nuage", needs_context=True)],
            context=["fibre"],
            exclusions=["nuage de fumée"],
        ),
        Brand(name="Zest", aliases=[Alias(text="Zest Mobile")], exclusions=["zest of"]),
    ]
    texts = [
        "Un nuage de fumée sur Nuage Télécom, la fibre de Nuage tient, Zest Mobile aussi",
        "zest of lemon, Zest Mobile and Nuage Télécom",
        "Nuage Télécom",
    ]
    cached = BrandMatcher(brands)
    for text in texts * 2:
        fresh = BrandMatcher(brands)
        assert cached.find(text) == fresh.find(text)
        for brand in ("Nuage", "Zest"):
            assert cached.spans(text, brand) == fresh.spans(text, brand)
