"""The backend interface: rules and linear behind one `predict`, plugins by name, safe fallback."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from transform import backends, sentiment
from transform.learned import artifact

TEXTS = ["I love this, it's great!", "This is awful, worst service ever", "The shop opens at 9"]


def test_rules_backend_matches_the_rules_and_gives_confidences() -> None:
    predictions = backends.load_backend("rules").predict(TEXTS, "en")
    for text, prediction in zip(TEXTS, predictions, strict=True):
        expected = sentiment.score_text(text, "en")
        assert (prediction.label, prediction.score) == (expected.label, expected.score)
        assert 0.5 <= prediction.confidence <= 1.0
    assert [p.label for p in predictions] == ["positive", "negative", "neutral"]


def test_rules_confidence_grows_with_the_margin() -> None:
    weak = backends.rules_confidence(sentiment.Sentiment("positive", 0.35), "en")
    strong = backends.rules_confidence(sentiment.Sentiment("positive", 0.95), "en")
    assert 0.5 <= weak < strong <= 1.0
    assert backends.rules_confidence(sentiment.Sentiment("neutral", 0.0), "en") == 1.0


def test_linear_backend_uses_the_shipped_models() -> None:
    backend = backends.load_backend("linear")
    assert isinstance(backend, backends.LinearBackend)
    for lang in ("en", "fr"):
        assert backend.model(lang) is not None, f"no shipped model for {lang}"
    predictions = backend.predict(TEXTS, "en")
    assert [p.label for p in predictions][:2] == ["positive", "negative"]
    for p in predictions:
        assert p.label in sentiment.LABELS and -1 <= p.score <= 1 and 0 < p.confidence <= 1
    assert backend.predict([], "fr") == []


def test_a_corrupt_model_falls_back_to_the_rules_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "en").mkdir()
    for name in artifact.FILES:
        (tmp_path / "en" / name).write_bytes(b"not a model")
    backend = backends.LinearBackend(tmp_path)
    with caplog.at_level(logging.WARNING, logger="transform.learned.artifact"):
        predictions = backend.predict(TEXTS, "en")
    assert "unusable" in caplog.text
    assert predictions == backends.RulesBackend().predict(TEXTS, "en")


def test_a_missing_model_falls_back_to_the_rules(tmp_path: Path) -> None:
    backend = backends.LinearBackend(tmp_path)
    assert backend.predict(TEXTS, "fr") == backends.RulesBackend().predict(TEXTS, "fr")


def test_the_fingerprint_follows_the_model_bytes(tmp_path: Path) -> None:
    empty = backends.LinearBackend(tmp_path).fingerprint()
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "meta.json").write_text("{}", encoding="utf-8")
    assert backends.LinearBackend(tmp_path).fingerprint() != empty
    assert backends.load_backend("linear").fingerprint() != empty


class _Constant:
    name = "constant"

    def fingerprint(self) -> str:
        return "constant-1"

    def predict(self, texts: list[str], lang: str) -> list[backends.Prediction]:
        return [backends.Prediction("neutral", 0.0, 1.0) for _ in texts]


def make_constant() -> _Constant:
    return _Constant()


def test_a_third_backend_plugs_in_by_module_factory_name() -> None:
    module = sys.modules[__name__].__name__
    backend = backends.load_backend(f"{module}:make_constant")
    assert backend.name == "constant"
    assert backend.predict(["x", "y"], "en") == [backends.Prediction("neutral", 0.0, 1.0)] * 2


def test_bad_backend_names_are_named() -> None:
    with pytest.raises(ValueError, match="unknown sentiment backend 'bert'"):
        backends.load_backend("bert")
    with pytest.raises(ValueError, match="cannot be imported"):
        backends.load_backend("no_such_module_here:factory")
    with pytest.raises(ValueError, match="lacks"):
        backends.load_backend("builtins:object")
