"""The fast paths: entity-recogniser-only pipelines, keywords from lemma tables, lexicon files."""

from __future__ import annotations

import pytest

from transform import lexicon, nlp, sentiment


@pytest.mark.slow
def test_pipelines_run_only_the_entity_recogniser() -> None:
    for lang in ("fr", "en"):
        if nlp.model_name(lang) is None:
            pytest.skip(f"no spaCy model for {lang}")
        assert nlp.pipeline(lang).pipe_names == ["ner"]


def test_keywords_keep_nouns_adjectives_and_names_but_not_verbs() -> None:
    if nlp.model_name("fr") is None:
        pytest.skip("no French model")
    [(_, keys)] = nlp.analyse(
        "fr",
        ["Les techniciens sont venus mardi mais les pannes continuent à Lyon, fibre instable."],
    )
    assert {"technicien", "panne", "lyon", "fibre", "instable"} <= set(keys)
    assert not {"venus", "venir", "continuent", "continuer"} & set(keys)


def test_word_classes_lemmatise_with_rules_and_exceptions() -> None:
    if nlp.model_name("en") is None:
        pytest.skip("no English model")
    classes = nlp.word_classes("en")
    assert classes is not None
    assert classes.lemma("routers") == ("router", "noun")
    assert classes.lemma("cheaper")[1] == "adj"
    assert classes.lemma("went")[1] == "verb"
    assert classes.lemma("zzqxv") == ("zzqxv", None)


def test_general_lexicon_files_parse_and_feed_words_and_phrases() -> None:
    for lang in ("fr", "en"):
        entries = lexicon.GENERAL[lang]
        assert entries and all(-1.0 <= v <= 1.0 for v in entries.values())
    assert sentiment.word_lexicon("fr")["gâchis"] < 0
    # A phrase from the file wins over the negation rule.
    assert sentiment.score_text("I couldn't be happier", "en").label == "positive"


def test_french_plural_and_feminine_forms_find_their_entry() -> None:
    assert sentiment.score_text("Des espèces menacées, quel gâchis", "fr").label == "negative"
    assert sentiment.score_text("Des résultats excellents et fiables", "fr").label == "positive"


def test_phrases_are_indexed_by_first_word() -> None:
    index = sentiment._phrases_by_first_word("fr")
    for first, entries in index.items():
        assert all(phrase[0] == first for phrase, _ in entries)
        lengths = [len(phrase) for phrase, _ in entries]
        assert lengths == sorted(lengths, reverse=True)


def test_evaluate_command_lists_every_shared_set() -> None:
    from ecoute.commands.evaluate import SHARED_SETS
    from transform import shared_sets

    assert set(SHARED_SETS) == set(shared_sets.SETS)


@pytest.mark.parametrize(
    ("name", "lang", "floor"),
    [("tweeteval_sentiment_val", "en", 0.59), ("french_tweets_val", "fr", 0.58)],
)
def test_sentiment_quality_on_shared_sets(name: str, lang: str, floor: float) -> None:
    """Regression guard on the shared tuning sets (skipped when ../shared/data is absent)."""
    from transform import metrics, shared_sets

    if not (shared_sets.default_root()).is_dir():
        pytest.skip("shared data absent")
    rows = shared_sets.load(name)
    predicted = [sentiment.score_text(r["text"], lang).label for r in rows]
    assert metrics.score([r["label"] for r in rows], predicted).macro_f1 >= floor


@pytest.mark.slow
@pytest.mark.slow
def test_pool_returns_the_inline_results_in_order() -> None:
    """Two spawned workers give exactly what one process gives, batch by batch, in order."""
    from pathlib import Path

    from core.config import load_config
    from transform.parallel import enrich_batches

    brands = load_config(Path(__file__).resolve().parents[2] / "ecoute.yml").brands
    texts = [
        "Nuage Telecom support fixed my outage, thank you so much",
        "Le réseau Nuage Télécom est en panne depuis trois jours, honteux",
        "I left Zest Mobile for Nuage Telecom, the network is so much better",
        "Franchement la fibre Zest Mobile est rapide et stable à Lyon",
    ]
    batches = [[{"id": f"{b}:{i}", "text": t} for i, t in enumerate(texts)] for b in range(3)]
    inline = list(enrich_batches(brands, batches, workers=1))
    pooled = list(enrich_batches(brands, batches, workers=2))
    assert [[r["id"] for r in batch] for batch in pooled] == [[r["id"] for r in b] for b in batches]
    assert pooled == inline


@pytest.mark.slow
def test_started_workers_waits_for_every_worker_to_load() -> None:
    import gc
    import os

    from core.config import Brand
    from transform.parallel import (
        YOUNG_COLLECTION_EVERY,
        map_batches,
        start_pool,
        started_workers,
    )

    brands = [Brand(name="Nuage")]
    with start_pool(brands, 2) as pool:
        pids = started_workers(pool, 2)
        assert len(set(pids)) == 2 and os.getpid() not in pids
        [results] = list(map_batches(pool, [[{"id": "a", "text": "Nuage est top"}]], 2))
        # What a worker loaded for life is left out of garbage collections, collected rarely.
        for _ in range(4):
            assert pool.submit(gc.get_freeze_count).result() > 100_000
            assert pool.submit(gc.get_threshold).result()[0] == YOUNG_COLLECTION_EVERY
    assert results[0]["id"] == "a" and results[0]["brands"][0]["brand"] == "Nuage"


def test_a_remembered_analysis_is_a_fresh_copy_for_each_caller() -> None:
    first = sentiment.analyse("Super service, merci !", "fr")
    first.valences[0] = 99.0
    first.tokens.pop()
    again = sentiment.analyse("Super service, merci !", "fr")
    assert again.valences[0] != 99.0 and len(again.tokens) == len(first.tokens) + 1
    assert again.tokens == sentiment._analyse("Super service, merci !", "fr").tokens
