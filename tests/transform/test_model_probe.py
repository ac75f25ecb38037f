"""Each learned model records its scores on fixed probe texts when trained; code that computes its
features otherwise since makes it stale, which its load warns of and `ecoute train check` tells."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ecoute.commands.train import train
from transform import lexicon
from transform.backends import LinearBackend
from transform.learned import artifact, probe
from transform.model_check import check_models

RETRAIN = (
    "the code that computes the models' features changed: retrain with `ecoute train sentiment`"
)


def test_the_shipped_models_read_their_features_as_this_code_computes_them() -> None:
    checks = check_models()
    assert len(checks) == 6 and all(c.present for c in checks)
    assert [(c.lang, c.model, c.drift) for c in checks if c.status != "current"] == [], RETRAIN


def test_the_probe_is_the_first_posts_of_one_language() -> None:
    pairs = probe.probe_pairs("fr")
    posts = list(dict.fromkeys(p["post_id"] for p in pairs))
    assert {p["lang"] for p in pairs} == {"fr"} and len(posts) == probe.PROBE_POSTS
    every = [json.loads(line) for line in probe.PROBE_SOURCE.read_text("utf-8").splitlines()]
    first = [r for r in every if r["lang"] == "fr"][: len(pairs)]
    assert [r["post_id"] for r in first] == [p["post_id"] for p in pairs]
    assert probe.probe_texts("fr") == list(dict.fromkeys(p["text"] for p in pairs))
    assert probe.probe_pairs("fr", Path("absent.jsonl")) == []


def test_drift_compares_the_same_texts_only() -> None:
    scores = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    recorded = probe.record(["a", "b"], scores)
    assert probe.drift(recorded, ["a", "b"], scores) == 0.0
    assert probe.drift(recorded, ["a", "b"], scores + 1e-3) == pytest.approx(1e-3)
    assert probe.drift(recorded, ["a", "c"], scores) is None
    assert probe.drift(None, ["a", "b"], scores) is None
    assert probe.drift(recorded, ["a", "b"], scores[:, :2]) == float("inf")


def test_a_rule_changed_since_training_makes_that_languages_models_stale(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # As if a release dropped the English contrast words the rules know ("but", "however", …).
    monkeypatch.setitem(lexicon.CONTRAST, "en", frozenset())
    with caplog.at_level(logging.WARNING, logger="transform.backends"):
        checks = {(c.lang, c.model): c for c in check_models()}
    assert checks["en", "sentiment"].status == "stale: retrain"
    assert checks["en", "brand-window"].status == "stale: retrain"
    assert all(checks["fr", m].status == "current" for m in ("sentiment", "brand-window"))
    assert "retrain it with `ecoute train sentiment`" in caplog.text
    assert "sentiment model 'en'" in caplog.text and "'fr'" not in caplog.text


def test_a_reviewer_reading_other_evidence_is_stale(tmp_path: Path) -> None:
    shutil.copytree(artifact.MODELS_DIR, tmp_path / "models")
    path = tmp_path / "models" / artifact.BRAND_FOLDER / "fr" / artifact.REVIEW_FILE
    body = json.loads(path.read_text(encoding="utf-8"))
    body["intercept"][0] += 0.5  # the evidence now weighs otherwise than when it was recorded
    path.write_text(json.dumps(body), encoding="utf-8")
    checks = {(c.lang, c.model): c.status for c in check_models(tmp_path / "models", ("fr",))}
    assert checks == {
        ("fr", "sentiment"): "current",
        ("fr", "brand-window"): "current",
        ("fr", "reviewer"): "stale: retrain",
    }


def test_the_check_command_exits_one_on_a_stale_model(tmp_path: Path) -> None:
    shutil.copytree(artifact.MODELS_DIR, tmp_path / "models")
    fine = CliRunner().invoke(train, ["check", "--models", str(tmp_path / "models")])
    assert fine.exit_code == 0, fine.output
    assert fine.output.count("current") == 6
    meta_path = tmp_path / "models" / "en" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["probe"]["scores"][0][0] += 0.01
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    stale = CliRunner().invoke(train, ["check", "--models", str(tmp_path / "models")])
    assert stale.exit_code == 1
    assert "en  sentiment     stale: retrain  (largest score difference 0.01)" in stale.output


def test_a_model_without_a_probe_is_used_unchecked(tmp_path: Path) -> None:
    shutil.copytree(artifact.MODELS_DIR, tmp_path / "models")
    meta_path = tmp_path / "models" / "fr" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["probe"]  # trained before probes were recorded
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    backend = LinearBackend(tmp_path / "models")
    assert backend.predict(["Service génial, merci !"], "fr")[0].label == "positive"
    status = {c.model: c.status for c in check_models(tmp_path / "models", ("fr",))}
    assert status["sentiment"] == "unchecked (no probe recorded)"
