"""The per-brand reviewer: its evidence, its artifact, its place in the enrichment, its training."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.config import Brand
from transform import brand_training, targeted
from transform.backends import LinearBackend, Prediction
from transform.enrich import Enricher
from transform.learned import artifact, reviewer
from transform.targeted import review

TEXT = "I love Orange but SFR is awful, three outages this month."
BRANDS = [Brand(name="Orange"), Brand(name="SFR")]


def _plan(text: str = TEXT) -> targeted.TargetPlan:
    enricher = Enricher(BRANDS, with_entities=False)
    post = Prediction("neutral", 0.0, 0.5)
    return enricher.plan_brands(text, "en", ["Orange", "SFR"], post)


def _constant(label: str, lang: str = "en", margin: float = 5.0) -> reviewer.Reviewer:
    """A reviewer that gives `label` whatever the evidence."""
    labels = ("negative", "neutral", "positive")
    n = len(review.FEATURES)
    intercept = np.array([margin if name == label else 0.0 for name in labels])
    return reviewer.Reviewer(
        lang, labels, review.FEATURES, np.zeros(n), np.ones(n), np.zeros((n, 3)), intercept
    )


def test_the_evidence_has_one_value_per_named_feature() -> None:
    target = _plan()
    predictions = [Prediction("positive", 0.8, 0.9), Prediction("negative", -0.7, 0.85)]
    predictions = predictions[: len(target.windows)]
    results = targeted.resolve(target, predictions)
    rows = [review.features(target, predictions, b, results) for b in ("Orange", "SFR")]
    assert all(len(row) == len(review.FEATURES) for row in rows)
    named = [dict(zip(review.FEATURES, row, strict=True)) for row in rows]
    assert named[0]["named_first"] == 1.0 and named[1]["named_first"] == 0.0
    assert named[0]["brands"] == 2.0
    # Each brand sees the other's label.
    assert named[0]["others_max"] == results["SFR"].prediction.score


def test_review_gives_the_reviewer_s_label_and_marks_the_changes() -> None:
    target = _plan()
    predictions = [Prediction("positive", 0.8, 0.9), Prediction("negative", -0.7, 0.85)]
    results = targeted.resolve(target, predictions[: len(target.windows)])
    assert results["Orange"].prediction.label == "positive"
    [reviewed] = review.apply([(target, predictions, results)], _constant("positive"))
    assert reviewed["Orange"].rule == results["Orange"].rule  # label kept: its rule kept
    assert reviewed["SFR"].prediction.label == "positive" and reviewed["SFR"].rule == "reviewed"
    confidence = reviewed["SFR"].prediction.confidence
    assert confidence == round(np.exp(5.0) / (np.exp(5.0) + 2), 4)
    assert 0 < reviewed["SFR"].prediction.score <= 1


def test_the_artifact_round_trips_and_a_bad_one_is_named(tmp_path: Path) -> None:
    fitted = _constant("neutral")
    reviewer.save(fitted, tmp_path / "en")
    loaded = reviewer.load(tmp_path, "en")
    assert loaded is not None and loaded.features == review.FEATURES
    assert np.array_equal(loaded.intercept, fitted.intercept)
    assert reviewer.load(tmp_path, "fr") is None  # none: not an error
    body = json.loads((tmp_path / "en" / reviewer.FILE).read_text(encoding="utf-8"))
    body["coef"] = body["coef"][:-1]
    (tmp_path / "en" / reviewer.FILE).write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(artifact.ArtifactError, match="inconsistent coef"):
        reviewer.load(tmp_path, "en")


def test_a_reviewer_of_other_features_is_left_out_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stale = _constant("neutral")
    stale = reviewer.Reviewer(
        "en", stale.labels, (*review.FEATURES[:-1], "gone"), stale.mean, stale.scale,
        stale.coef, stale.intercept,
    )  # fmt: skip
    assert review.usable(_constant("neutral"))
    assert not review.usable(stale)
    assert "reads other features; retrain it" in caplog.text


@pytest.fixture(scope="module")
def blaming(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped English models beside a reviewer that blames every brand."""
    folder = tmp_path_factory.mktemp("models")
    shutil.copytree(artifact.MODELS_DIR / "en", folder / "en")
    shutil.copytree(artifact.MODELS_DIR / artifact.BRAND_FOLDER / "en", folder / "brand" / "en")
    reviewer.save(_constant("negative"), folder / "brand" / "en")
    return folder


def test_the_enricher_asks_the_backend_s_reviewer(blaming: Path) -> None:
    enricher = Enricher(BRANDS, LinearBackend(blaming), with_entities=False)
    [two, one] = enricher.enrich(
        [
            {"text": "Orange fixed my line in a day. SFR too, great work.", "lang": "en"},
            {"text": "Orange fixed my line in a day, great work.", "lang": "en"},
        ]
    )
    assert {b["sentiment"]["label"] for b in two["brands"]} == {"negative"}
    assert {b["sentiment_rule"] for b in two["brands"]} == {"reviewed"}
    # One brand: the post's label, no window, nothing to review.
    assert [b["sentiment_rule"] for b in one["brands"]] == ["post"]


def test_without_a_window_model_there_is_no_reviewer(blaming: Path, tmp_path: Path) -> None:
    shutil.copytree(blaming / "en", tmp_path / "en")
    (tmp_path / "brand" / "en").mkdir(parents=True)
    shutil.copy(blaming / "brand" / "en" / reviewer.FILE, tmp_path / "brand" / "en")
    assert LinearBackend(blaming).brand_reviewer("en") is not None
    assert LinearBackend(tmp_path).brand_reviewer("en") is None


def test_a_corrupt_reviewer_leaves_the_rules_labels(
    blaming: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(blaming, tmp_path / "models")
    (tmp_path / "models" / "brand" / "en" / reviewer.FILE).write_text("{", encoding="utf-8")
    backend = LinearBackend(tmp_path / "models")
    assert backend.brand_reviewer("en") is None
    assert "per-brand reviewer unusable, the rules decide 'en'" in caplog.text
    [result] = Enricher(BRANDS, backend, with_entities=False).enrich(
        [{"text": "Orange fixed my line in a day. SFR too, great work.", "lang": "en"}]
    )
    assert "reviewed" not in {b["sentiment_rule"] for b in result["brands"]}


def test_the_shipped_reviewers_read_this_code_s_evidence() -> None:
    for lang in ("en", "fr"):
        shipped = reviewer.load(artifact.MODELS_DIR / artifact.BRAND_FOLDER, lang)
        assert shipped is not None and review.usable(shipped)
        assert shipped.meta["inputs"][0]["file"] == "brand_train.jsonl"
        assert shipped.meta["pairs"] > 2000


def _pairs(path: Path) -> Path:
    """Two-brand posts: praise or blame of the first brand with the second as its foil, or two
    brands named in a neutral sentence."""
    words = {"positive": ["great", "brilliant", "lovely"], "negative": ["awful", "broken", "slow"]}
    lines = []
    for n in range(90):
        label = ("positive", "negative", "neutral")[n % 3]
        if label == "neutral":
            text, golds = f"Acme and Globex open a shop on street {n}.", ("neutral", "neutral")
        else:
            other = "negative" if label == "positive" else "positive"
            text, golds = (
                f"Acme is {words[label][n % 2]} today ({n}), unlike Globex.",
                (label, other),
            )
        for brand, gold in zip(("Acme", "Globex"), golds, strict=True):
            row = {"post_id": f"en-{n}", "lang": "en", "text": text, "brands": ["Acme", "Globex"]}
            row |= {"brand": brand, "label": gold, "phenomenon": "contrast", "split": "train"}
            lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_training_fits_a_reviewer_on_out_of_fold_windows(tmp_path: Path) -> None:
    shutil.copytree(artifact.MODELS_DIR / "en", tmp_path / "en")
    pairs = _pairs(tmp_path / "pairs.jsonl")
    said: list[str] = []
    brand_training.train_all(tmp_path, seed=3, langs=("en",), say=said.append, pairs_file=pairs)
    fitted = reviewer.load(tmp_path / artifact.BRAND_FOLDER, "en")
    assert fitted is not None and fitted.meta["pairs"] == 180 and fitted.meta["seed"] == 3
    assert any("reviewer on 5 folds" in line for line in said)
    enricher = Enricher(
        [Brand(name="Acme"), Brand(name="Globex")], LinearBackend(tmp_path), with_entities=False
    )
    [result] = enricher.enrich([{"text": "Acme is lovely today (7), unlike Globex.", "lang": "en"}])
    labels = {b["brand"]: b["sentiment"]["label"] for b in result["brands"]}
    assert labels == {"Acme": "positive", "Globex": "negative"}


def test_the_reviewer_changes_the_models_digest(blaming: Path, tmp_path: Path) -> None:
    shutil.copytree(blaming, tmp_path / "models")
    with_reviewer = artifact.models_digest(tmp_path / "models")
    (tmp_path / "models" / "brand" / "en" / reviewer.FILE).unlink()
    assert artifact.models_digest(tmp_path / "models") != with_reviewer
