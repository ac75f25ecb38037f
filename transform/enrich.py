"""The one enrichment code path: records in, one result per record out, in order.

Used by `transform.run` (the Dagster asset), `ecoute score` and the tests. A record is a mapping
with `text` and optional `id`, `lang`; a bad record yields `{"id": ..., "error": "..."}` and the
batch goes on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from core.config import Brand
from transform import language, lexicon, nlp, sentiment
from transform.brands import BrandMatch, BrandMatcher

log = logging.getLogger(__name__)

ANALYSED_LANGUAGES = ("fr", "en")
MAX_TEXT_CHARS = 20_000
_CLAUSE_BREAK = re.compile(r"[,;:.!?\n()]+")


class Enricher:
    """Brand rules compiled once; spaCy models loaded on first use."""

    def __init__(self, brands: Sequence[Brand], nlp_batch_size: int = 256):
        self.brands = list(brands)
        self.matcher = BrandMatcher(self.brands)
        self.aliases = tuple(a.text for b in self.brands for a in b.all_aliases)
        self.nlp_batch_size = nlp_batch_size

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
            if lang not in ANALYSED_LANGUAGES:
                continue
            self._add_entities(lang, indices, results)
        return [r for r in results if r is not None]

    def _first_pass(self, record: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(record, Mapping):
            raise ValueError("a record must be a JSON object")
        text = record.get("text")
        if not isinstance(text, str):
            raise ValueError("`text` must be a string")
        text = text[:MAX_TEXT_CHARS]
        matches = self.matcher.find(text)
        given = record.get("lang")
        if given is not None and not isinstance(given, str):
            raise ValueError("`lang` must be a string")
        if given:
            lang, confidence = given.lower(), 1.0
        else:
            lang, confidence = language.detect(self.matcher.mask(text))
        analysis = sentiment.analyse(text, lang)
        overall = analysis.score()
        brands = [
            {
                "brand": m.brand,
                "alias": m.alias,
                "rule": m.rule,
                "sentiment": self._brand_sentiment(
                    text, analysis, m, overall, len(matches)
                ).as_dict(),
            }
            for m in matches
        ]
        return {
            "id": record.get("id"),
            "lang": lang,
            "lang_confidence": confidence,
            "sentiment": overall.as_dict(),
            "brands": brands,
            "entities": [],
            "keywords": [],
            "_text": text,
        }

    def _brand_sentiment(
        self,
        text: str,
        analysis: sentiment.Analysis,
        match: BrandMatch,
        overall: sentiment.Sentiment,
        n_brands: int,
    ) -> sentiment.Sentiment:
        """Sentiment of the clauses naming the brand, plus the switching rule (left X for Y)."""
        if analysis.lang not in sentiment.SUPPORTED:
            return overall
        clauses = clause_ranges(text, analysis.lang)
        spans = self.matcher.spans(text, match.brand) or [(match.start, match.end)]
        chosen = {k for k, (a, b) in enumerate(clauses) for s, _ in spans if a <= s < b}
        indices = [
            i
            for i, t in enumerate(analysis.tokens)
            if any(clauses[k][0] <= t.start < clauses[k][1] for k in chosen)
        ]
        total = sum(analysis.valences[i] for i in indices)
        total += _switch_valence(analysis, spans)
        if total == 0 and n_brands == 1:
            return overall
        return sentiment.to_sentiment(total, analysis.lang)

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


def clause_ranges(text: str, lang: str) -> list[tuple[int, int]]:
    """Character ranges of clauses: split on punctuation and before contrast words."""
    cuts = {0, len(text)}
    for m in _CLAUSE_BREAK.finditer(text):
        cuts.add(m.end())
    contrast = lexicon.CONTRAST.get(lang, frozenset())
    for m in re.finditer(r"\w+", text):
        if m.group().lower() in contrast:
            cuts.add(m.start())
    ordered = sorted(cuts)
    return [(a, b) for a, b in pairwise(ordered) if b > a]


def _switch_valence(analysis: sentiment.Analysis, spans: list[tuple[int, int]]) -> float:
    """-0.6 for a brand just after a leave verb, +0.6 for one introduced by `for/to` after it."""
    lang = analysis.lang
    leave, destination = lexicon.LEAVE_VERBS[lang], lexicon.DESTINATION_WORDS[lang]
    words = [(t.start, t.text) for t in analysis.tokens if t.kind == "word"]
    value = 0.0
    for start, _ in spans:
        before = [w for s, w in words if s < start][-4:]
        if not before:
            continue
        if before[-1] in leave or (len(before) > 1 and before[-2] in leave):
            value -= 0.6
        elif before[-1] in destination and any(w in leave for w in before[:-1]):
            value += 0.6
    return value


def _error(record: Any, error: Exception) -> dict[str, Any]:
    record_id = record.get("id") if isinstance(record, Mapping) else None
    log.warning("could not enrich record %r: %s", record_id, error)
    return {"id": record_id, "error": f"{type(error).__name__}: {error}"}
