"""The one enrichment code path: records in, one result per record out, in order.

Used by `transform.run` (the Dagster asset), `ecoute score` and the tests. A record is a mapping
with `text` and optional `id`, `lang`; a bad record yields `{"id": ..., "error": "..."}` and the
batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from core.config import Brand
from transform import language, nlp, sentiment, targeted
from transform.backends import Prediction, RulesBackend, SentimentBackend
from transform.brands import BrandMatcher
from transform.learned.reviewer import Reviewer
from transform.targeted import review

log = logging.getLogger(__name__)

ANALYSED_LANGUAGES = ("fr", "en")
MAX_TEXT_CHARS = 20_000
# A post in a language the project does not track (or the backend cannot score): no model applied.
UNSCORED = Prediction(sentiment.NEUTRAL, 0.0, 0.0)


class Enricher:
    """Brand rules compiled once; the backend chosen once; spaCy models loaded on first use.

    `languages` are the project's (`languages:` in ecoute.yml): a post in another language, or in
    one the rules and spaCy do not support, is recorded with its language but scored neutral with
    confidence 0 and `sentiment_scored = False`, never by the wrong language's model.
    """

    def __init__(
        self,
        brands: Sequence[Brand],
        backend: SentimentBackend | None = None,
        languages: Sequence[str] = ANALYSED_LANGUAGES,
        nlp_batch_size: int = 256,
        with_entities: bool = True,
    ):
        self.brands = list(brands)
        self.matcher = BrandMatcher(self.brands)
        # Names spaCy stores as ORG entities: not the aliases that need context to be the brand
        # (`Nuage de fumée` is no company).
        self.aliases = tuple(
            a.text for b in self.brands for a in b.all_aliases if not a.needs_context
        )
        self.backend = RulesBackend() if backend is None else backend
        self.languages = tuple(languages)
        self.scored_languages = tuple(
            lang for lang in self.languages if lang in sentiment.SUPPORTED
        )
        self.nlp_batch_size = nlp_batch_size
        # False: sentiment and brands only (evaluation), spaCy never loaded.
        self.with_entities = with_entities
        self._reviewers: dict[str, Reviewer | None] = {}

    def enrich(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any] | None] = [None] * len(records)
        by_lang: dict[str, list[int]] = {}
        for i, record in enumerate(records):
            try:
                first = self._first_pass(record)
                results[i] = first
                by_lang.setdefault(first["lang"], []).append(i)
            except Exception as error:
                results[i] = _error(record, error)
        for lang, indices in by_lang.items():
            self._add_sentiment(lang, indices, results)
            if self.with_entities and lang in self.scored_languages and lang in ANALYSED_LANGUAGES:
                self._add_entities(lang, indices, results)
        for result in results:
            if result is not None:
                result.pop("_text", None)  # the caller has the text: not sent back from a worker
        return [r for r in results if r is not None]

    def _first_pass(self, record: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(record, Mapping):
            raise ValueError("a record must be a JSON object")
        text = record.get("text")
        if not isinstance(text, str):
            raise ValueError("`text` must be a string")
        text = text[:MAX_TEXT_CHARS]
        given = record.get("lang")
        if given is not None and not isinstance(given, str):
            raise ValueError("`lang` must be a string")
        hint = record.get("lang_hint")
        if given:
            lang, confidence = given.lower(), 1.0
        else:
            lang, confidence = self._detect(self.matcher.mask(text), hint)
        matches = self.matcher.find(
            text, source=_scope(record, "source"), site=_scope(record, "site"), lang=lang
        )
        return {
            "id": record.get("id"),
            "lang": lang,
            "lang_confidence": confidence,
            "sentiment": None,
            "brands": [
                {
                    "brand": m.brand,
                    "alias": m.alias,
                    "rule": m.rule,
                    "explanation": m.explanation.as_dict() if m.explanation else None,
                }
                for m in matches
            ],
            "entities": [],
            "keywords": [],
            "_text": text,
        }

    def _detect(self, text: str, hint: object) -> tuple[str, float]:
        """lingua, with the source-declared language (or the one tracked language) as a prior."""
        prior = hint.lower() if isinstance(hint, str) and hint else None
        if prior is None and len(self.languages) == 1:
            prior = self.languages[0]
        return language.detect(text, hint=prior)

    def _add_sentiment(
        self,
        lang: str,
        indices: list[int],
        results: list[dict[str, Any] | None],
    ) -> None:
        """Post-level labels from the backend in one call per language, then per-brand labels."""
        live = [i for i in indices if results[i] is not None and "error" not in results[i]]  # type: ignore[operator]
        texts = [results[i]["_text"] for i in live]  # type: ignore[index]
        scored = lang in self.scored_languages
        if scored:
            try:
                posts = self.backend.predict(texts, lang)
            except Exception:
                log.exception("sentiment backend %s failed on a %s batch", self.backend.name, lang)
                posts = RulesBackend().predict(texts, lang)
        else:
            posts = [UNSCORED] * len(texts)
        plans: dict[int, targeted.TargetPlan] = {}
        for i, text, post in zip(live, texts, posts, strict=True):
            result = results[i]
            assert result is not None
            result["sentiment"] = _as_dict(post, scored)
            if result["brands"] and scored:
                names = [b["brand"] for b in result["brands"]]
                try:
                    plans[i] = self.plan_brands(text, lang, names, post)
                except Exception:
                    log.exception("per-brand sentiment failed on %r; post label kept", result["id"])
                    plans[i] = targeted.TargetPlan(
                        lang,
                        post,
                        settled={b: targeted.TargetedResult(post, "post") for b in names},
                    )
        by_post = self._resolve_targets(lang, plans)
        for i in live:
            result = results[i]
            assert result is not None
            for brand in result["brands"]:
                if i in by_post:
                    chosen = by_post[i][brand["brand"]]
                    brand["sentiment"] = _as_dict(chosen.prediction, True)
                    brand["sentiment_rule"] = chosen.rule
                else:
                    brand["sentiment"] = _as_dict(UNSCORED, False)
                    brand["sentiment_rule"] = "unscored"

    def plan_brands(
        self, text: str, lang: str, brands: Sequence[str], post: Prediction
    ) -> targeted.TargetPlan:
        """One post's per-brand plan: each brand's window (names masked) and the rules' view of
        it; also what the brand-window model is trained on (`transform.brand_training`)."""
        spans = {b: self.matcher.spans(text, b) for b in brands}
        return targeted.plan(text, sentiment.analyse(text, lang), spans, post)

    def _resolve_targets(
        self, lang: str, plans: Mapping[int, targeted.TargetPlan]
    ) -> dict[int, dict[str, targeted.TargetedResult]]:
        """Per-brand labels: every brand window of the batch scored by the backend in one call
        (the rules backend: the rules' own view of each window, no second pass)."""
        windows = [w for target in plans.values() for w in target.windows]
        predictions: list[Prediction] | None = None
        if windows and not isinstance(self.backend, RulesBackend):
            # A backend may score brand windows with a model of their own (the linear backend's
            # brand-window model); else its post model reads them.
            predict = getattr(self.backend, "predict_windows", self.backend.predict)
            try:
                predictions = predict(windows, lang)
            except Exception:
                log.exception("sentiment backend %s failed on brand windows", self.backend.name)
            if predictions is not None and len(predictions) != len(windows):
                log.error(
                    "sentiment backend %s gave %d labels for %d brand windows; rules used",
                    self.backend.name,
                    len(predictions),
                    len(windows),
                )
                predictions = None
        resolved: dict[int, dict[str, targeted.TargetedResult]] = {}
        windowed = []  # (index, plan, its windows' predictions) of the posts with windows
        start = 0
        for i, target in plans.items():
            end = start + len(target.windows)
            own = predictions[start:end] if predictions else None
            resolved[i] = targeted.resolve(target, own)
            if own:
                windowed.append((i, target, own))
            start = end
        reviewer = self._reviewer(lang) if windowed else None
        if reviewer is not None:
            posts = [(target, own, resolved[i]) for i, target, own in windowed]
            for (i, _, _), results in zip(windowed, review.apply(posts, reviewer), strict=True):
                resolved[i] = results
        return resolved

    def _reviewer(self, lang: str) -> Reviewer | None:
        """The backend's per-brand reviewer for `lang` (optional, `brand_reviewer`), when this
        code's features are the ones it reads; looked up once."""
        if lang not in self._reviewers:
            lookup = getattr(self.backend, "brand_reviewer", None)
            found = lookup(lang) if lookup is not None else None
            self._reviewers[lang] = found if found is not None and review.usable(found) else None
        return self._reviewers[lang]

    def _add_entities(
        self, lang: str, indices: list[int], results: list[dict[str, Any] | None]
    ) -> None:
        texts = [results[i]["_text"] for i in indices]  # type: ignore[index]
        try:
            found = nlp.analyse(lang, texts, self.aliases, self.nlp_batch_size)
        except Exception:
            log.exception("spaCy failed on a %s batch; retrying text by text", lang)
            found = []
            for text in texts:
                try:
                    found.extend(nlp.analyse(lang, [text], self.aliases))
                except Exception as error:
                    log.error("spaCy failed on one text: %s", error)
                    found.append(([], []))
        for i, (ents, keys) in zip(indices, found, strict=True):
            results[i]["entities"] = ents  # type: ignore[index]
            results[i]["keywords"] = keys  # type: ignore[index]

    @staticmethod
    def public(result: dict[str, Any]) -> dict[str, Any]:
        """The result without internal fields."""
        return {k: v for k, v in result.items() if not k.startswith("_")}


def _as_dict(prediction: Prediction, scored: bool) -> dict[str, Any]:
    return {
        "label": prediction.label,
        "score": prediction.score,
        "confidence": prediction.confidence,
        "scored": scored,
    }


def _error(record: Any, error: Exception) -> dict[str, Any]:
    record_id = record.get("id") if isinstance(record, Mapping) else None
    log.warning("could not enrich record %r: %s", record_id, error)
    return {"id": record_id, "error": f"{type(error).__name__}: {error}"}


def _scope(record: Mapping[str, Any], key: str) -> str | None:
    """A record's `source` or `site`, for the queries' scopes (absent: a scope never holds)."""
    value = record.get(key)
    return value if isinstance(value, str) and value else None
