"""The one code path: fields, per-brand sentiment, bad records, CLI doors, spaCy fallback."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.config import Brand, load_config
from ecoute.commands.evaluate import evaluate
from ecoute.commands.score import score
from transform import nlp
from transform.backends import Prediction
from transform.enrich import Enricher

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(load_config(REPO / "ecoute.yml").brands)


@pytest.mark.slow
def test_every_field_and_brand_contrast(enricher: Enricher) -> None:
    [result] = enricher.enrich(
        [
            {
                "id": "a",
                "text": (
                    "I left Zest Mobile for Nuage Telecom, Nuage Telecom is so much better. "
                    "Tim Cook visited London."
                ),
            }
        ]
    )
    result = Enricher.public(result)
    assert set(result) == {
        "id",
        "lang",
        "lang_confidence",
        "sentiment",
        "brands",
        "entities",
        "keywords",
    }
    assert result["lang"] == "en"
    by_brand = {b["brand"]: b for b in result["brands"]}
    assert by_brand["Zest"]["sentiment"]["label"] == "negative"
    assert by_brand["Nuage"]["sentiment"]["label"] == "positive"
    assert by_brand["Zest"]["rule"] == "alias"
    assert {"text": "London", "label": "LOC"} in result["entities"]
    assert "london" in result["keywords"]


@pytest.mark.slow
def test_an_alias_that_needs_context_is_no_org_entity_by_itself(enricher: Enricher) -> None:
    """`Zest` is the brand only with context words: capitalised at a sentence's start it is a
    lemon's zest, not an ORG entity; the unambiguous `Zest Mobile` still is one."""
    assert "Zest" not in enricher.aliases and "Zest Mobile" in enricher.aliases
    [plain, brand] = enricher.enrich(
        [
            {"id": "a", "text": "Zest de citron et sucre, puis on mélange.", "lang": "fr"},
            {"id": "b", "text": "Zest Mobile rembourse enfin ma facture.", "lang": "fr"},
        ]
    )
    assert {"text": "Zest", "label": "ORG"} not in plain["entities"]
    assert {"text": "Zest Mobile", "label": "ORG"} in brand["entities"]


def test_bad_records_do_not_stop_the_batch(enricher: Enricher) -> None:
    batch: list[Any] = [{"id": 1, "text": 5}, "nope", {"id": 3, "text": "Panne Nuage box"}]
    results = enricher.enrich(batch)  # untyped, as a JSON batch can be
    assert "error" in results[0] and results[0]["id"] == 1
    assert "error" in results[1]
    assert results[2]["brands"][0]["brand"] == "Nuage"


def test_other_languages_are_recorded_not_analysed(enricher: Enricher) -> None:
    [result] = enricher.enrich([{"text": "El servicio de Nuage es muy malo, no funciona nada hoy"}])
    assert result["lang"] == "es"
    unscored = {"label": "neutral", "score": 0.0, "confidence": 0.0, "scored": False}
    assert result["sentiment"] == unscored
    assert result["entities"] == []


def test_a_language_the_project_does_not_track_gets_no_model() -> None:
    """A French-only project records an English post as `en`, scores it and its brands neutral."""
    brands = [Brand(name="Orange"), Brand(name="SFR")]
    french_only = Enricher(brands, languages=("fr",), with_entities=False)
    both = Enricher(brands, with_entities=False)
    record = {"text": "I love Orange but SFR is awful, worst network ever", "lang": "en"}
    [result] = french_only.enrich([record])
    assert result["lang"] == "en"
    assert result["sentiment"]["scored"] is False and result["sentiment"]["confidence"] == 0.0
    assert {b["sentiment"]["label"] for b in result["brands"]} == {"neutral"}
    assert {b["sentiment_rule"] for b in result["brands"]} == {"unscored"}
    [tracked] = both.enrich([record])
    assert tracked["sentiment"]["scored"] is True and tracked["sentiment"]["label"] == "negative"


def test_the_backend_given_scores_the_posts() -> None:
    """Any object with the backend interface is used as is (a user's own classifier)."""

    class Constant:
        name = "constant"

        def fingerprint(self) -> str:
            return "constant"

        def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]:
            return [Prediction("positive", 0.5, 0.77) for _ in texts]

    enricher = Enricher([Brand(name="Orange")], backend=Constant(), with_entities=False)
    [result] = enricher.enrich([{"text": "Orange a changé son logo", "lang": "fr"}])
    assert result["sentiment"] == {
        "label": "positive",
        "score": 0.5,
        "confidence": 0.77,
        "scored": True,
    }
    [brand] = result["brands"]
    assert brand["sentiment"]["confidence"] == 0.77 and brand["sentiment_rule"] == "post"


def test_source_language_hint_is_a_prior() -> None:
    enricher = Enricher([Brand(name="Orange")], with_entities=False)
    short = "Orange ok merci"
    [hinted] = enricher.enrich([{"text": short, "lang_hint": "fr"}])
    assert hinted["lang"] == "fr"


@pytest.mark.slow
def test_score_command_one_line_per_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "Fibréa c\'est une arnaque, ils m\'ont facturé deux fois ce mois-ci"}\n'
        "{broken\n"
        '{"id": 3, "text": "Love my Nuage Telecom plan", "lang": "en"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        score, ["--input", str(source), "--config", str(REPO / "ecoute.yml")]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3]
    assert lines[0]["sentiment"]["label"] == "negative"
    assert "error" in lines[1]
    assert lines[2]["lang"] == "en" and lines[2]["brands"][0]["brand"] == "Nuage"


def test_evaluate_command_on_shipped_gold() -> None:
    result = CliRunner().invoke(evaluate, ["--config", str(REPO / "ecoute.yml")])
    assert result.exit_code == 0, result.output
    assert "[en]" in result.output and "[fr]" in result.output and "macro_f1=" in result.output


def test_english_fallback_without_model(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        blank = nlp.load_pipeline("en", ("Nuage Telecom",), candidates=("no_such_model",))
    assert "no spaCy model" in caplog.text and "no_such_model" in caplog.text
    [(ents, keys)] = nlp.analyse(
        "en", ["Nuage Telecom outage again downtown"], ("Nuage Telecom",), nlp=blank
    )
    assert {"text": "Nuage Telecom", "label": "ORG"} in ents
    assert "outage" in keys


def test_a_match_carries_its_explanation_and_the_record_scopes_the_query() -> None:
    brand = Brand.model_validate({"name": "Zest", "query": "Zest AND source:reddit"})
    enricher = Enricher([brand], with_entities=False)
    text = "Zest a encore coupé ma connexion ce matin"
    on_reddit, elsewhere, unscoped = enricher.enrich(
        [
            {"id": "a", "text": text, "source": "reddit"},
            {"id": "b", "text": text, "source": "mastodon"},
            {"id": "c", "text": text},
        ]
    )
    [match] = on_reddit["brands"]
    assert match["rule"] == "query"
    explanation = match["explanation"]
    assert "Zest" in explanation["clause"]
    start, end = explanation["spans"][0]
    assert text[start:end] == "Zest"
    assert elsewhere["brands"] == [] and unscoped["brands"] == []
