"""Sentiment backends behind one small interface, so the pipeline never knows which classifier runs.

Built in: `rules` (the lexicon rules of `transform.sentiment`) and `linear` (the learned model per
language shipped in `transform/models/`, see `transform.learned`). A third backend (a transformer on
the user's own hardware) plugs in without touching the pipeline, in either of two ways:

- an entry point in the group `ecoute.sentiment_backends` (`name = "package.module:factory"` in the
  plugin's `pyproject.toml`), then `sentiment: {backend: name}`;
- a dotted name `package.module:factory` given directly as the backend name.

The factory is called with no argument and returns an object with `name`, `fingerprint()` and
`predict(texts, lang)` (see `SentimentBackend`), and optionally `predict_windows(texts, lang)` for
brand windows (the per-brand step's clauses, brand names masked; without it `predict` reads them)
and `brand_reviewer(lang)`, a `transform.learned.reviewer.Reviewer` fitted on its own window
predictions that gives each brand's label a second look (None or absent: the rules' label stands).
A learned backend whose artifact is missing or corrupt logs a warning and falls back to the rules;
it never crashes the run.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from transform import sentiment
from transform.learned import artifact, probe, reviewer

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ecoute.sentiment_backends"
BUILT_IN = ("linear", "rules")


@dataclass(frozen=True)
class Prediction:
    """One text's label (in `sentiment.LABELS`), score in [-1, 1] and the label's probability."""

    label: str
    score: float
    confidence: float

    def as_sentiment(self) -> sentiment.Sentiment:
        return sentiment.Sentiment(self.label, self.score)


@runtime_checkable
class SentimentBackend(Protocol):
    """What the pipeline needs of a classifier; `fingerprint` changes when its model changes."""

    name: str

    def fingerprint(self) -> str: ...

    def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]: ...


def rules_confidence(result: sentiment.Sentiment, lang: str) -> float:
    """A probability-like confidence for a rules label: grows with the margin past its threshold.

    A polar label at its threshold is a coin toss between it and neutral (0.5) and rises to 1 at
    |score| = 1; a neutral label is surest at 0 and falls to 0.5 at the nearest threshold.
    """
    pos, neg = sentiment.THRESHOLDS.get(lang, (0.3, 0.3))
    score = result.score
    if result.label == sentiment.POSITIVE:
        return round(0.5 + 0.5 * (score - pos) / max(1e-9, 1.0 - pos), 4)
    if result.label == sentiment.NEGATIVE:
        return round(0.5 + 0.5 * (-score - neg) / max(1e-9, 1.0 - neg), 4)
    edge = pos if score >= 0 else neg
    return round(1.0 - 0.5 * abs(score) / max(1e-9, edge), 4)


class RulesBackend:
    """The lexicon rules (`transform.sentiment.score_text`); the baseline and the fallback."""

    name = "rules"

    def fingerprint(self) -> str:
        # The rules' code and lexicons are already hashed by `transform.version`.
        return "rules"

    def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        predictions = []
        for text in texts:
            result = sentiment.score_text(text, lang)
            predictions.append(
                Prediction(result.label, result.score, rules_confidence(result, lang))
            )
        return predictions


class LinearBackend:
    """The shipped linear model per language; a language without a usable model uses the rules."""

    name = "linear"

    def __init__(self, models_dir: Path | None = None) -> None:
        self.models_dir = artifact.MODELS_DIR if models_dir is None else models_dir
        self._models: dict[str, artifact.LinearModel | None] = {}
        self._window_models: dict[str, artifact.LinearModel | None] = {}
        self._reviewers: dict[str, reviewer.Reviewer | None] = {}
        self._rules = RulesBackend()

    def model(self, lang: str) -> artifact.LinearModel | None:
        """The language's model, loaded once; None (warned once) when absent or unusable."""
        if lang not in self._models:
            model = artifact.load_or_warn(self.models_dir, lang)
            self._models[lang] = _checked(model, "sentiment model")
        return self._models[lang]

    def window_model(self, lang: str) -> artifact.LinearModel | None:
        """The language's brand-window model (`brand/<lang>/`, see `transform.brand_training`),
        loaded once; None when absent or unusable (the post model then reads brand windows)."""
        if lang not in self._window_models:
            folder = self.models_dir / artifact.BRAND_FOLDER
            model = None
            if (folder / lang).is_dir():
                try:
                    model = artifact.load(folder, lang)
                except artifact.ArtifactError as error:
                    log.warning(
                        "brand-window model unusable, the post model reads %r: %s", lang, error
                    )
            self._window_models[lang] = _checked(model, "brand-window model")
        return self._window_models[lang]

    def fingerprint(self) -> str:
        digest = hashlib.sha256(b"linear\0")
        digest.update(artifact.models_digest(self.models_dir).encode())
        return digest.hexdigest()[:16]

    def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        model = self.model(lang)
        if model is None:
            return self._rules.predict(texts, lang)
        return [Prediction(*p) for p in artifact.predict(model, texts)]

    def brand_reviewer(self, lang: str) -> reviewer.Reviewer | None:
        """The language's per-brand reviewer (`brand/<lang>/review.json`), fitted on the window
        model's predictions: None without that model, when absent, or unusable (warned)."""
        if lang not in self._reviewers:
            found = None
            if self.window_model(lang) is not None and self.model(lang) is not None:
                try:
                    found = reviewer.load(self.models_dir / artifact.BRAND_FOLDER, lang)
                except artifact.ArtifactError as error:
                    log.warning("per-brand reviewer unusable, the rules decide %r: %s", lang, error)
            self._reviewers[lang] = found
        return self._reviewers[lang]

    def predict_windows(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        """Brand windows (a post's clauses about one brand, names masked) by the brand-window
        model, trained on brand-tagged posts; without one, by the post model."""
        model = self.window_model(lang)
        if model is None or self.model(lang) is None:
            return self.predict(texts, lang)
        return [Prediction(*p) for p in artifact.predict(model, texts)]


def _checked(model: artifact.LinearModel | None, what: str) -> artifact.LinearModel | None:
    """The model, with a warning when this code computes its features otherwise than the code
    it was trained with (its probe scores moved): it still reads, less well; retrain it."""
    if model is None:
        return None
    drift = artifact.probe_drift(model)
    if drift is not None and drift > probe.TOLERANCE:
        log.warning(
            "%s %r was trained on features this code computes otherwise (probe scores moved by "
            "up to %.3g): retrain it with `ecoute train sentiment` (`ecoute train check` tells)",
            what,
            model.lang,
            drift,
        )
    return model


def _from_factory(factory: Callable[[], object], name: str) -> SentimentBackend:
    backend = factory()
    if not isinstance(backend, SentimentBackend):
        raise ValueError(f"sentiment backend {name!r} lacks name/fingerprint()/predict()")
    return backend


def load_backend(name: str) -> SentimentBackend:
    """`rules`, `linear`, an `ecoute.sentiment_backends` entry point, or `module:factory`.

    An unknown name raises ValueError (a configuration mistake); a broken learned model does not:
    it logs a warning and the rules score instead.
    """
    if name == "rules":
        return RulesBackend()
    if name == "linear":
        return LinearBackend()
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name == name:
            return _from_factory(point.load(), name)
    if ":" in name:
        module_name, _, attribute = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as error:
            raise ValueError(f"sentiment backend {name!r} cannot be imported: {error}") from None
        return _from_factory(factory, name)
    raise ValueError(
        f"unknown sentiment backend {name!r}: use {', '.join(BUILT_IN)}, an "
        f"{ENTRY_POINT_GROUP} entry point or 'module:factory'"
    )
