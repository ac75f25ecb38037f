"""Language of a text with a confidence, or `und` when the text is too short or too mixed to tell.

lingua is deterministic and gives calibrated confidences. It is restricted to the project's
languages plus a few neighbours, so a Spanish or German post is recorded as such rather than forced
into fr/en. A language the source declares (or the project's single tracked language) is a prior:
short posts keep it, and only a long enough text that is confidently another language overrides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"
# Languages recognised (recorded, not all analysed): the project's and their usual neighbours.
RECOGNISED = ("en", "fr", "de", "es", "it", "pt", "nl")
# Thresholds set from `benchmarks/language.py` (swept on English and French tweets, full and cut to
# 2-8 words; see transform/README.md). Before: 0.45 / 2.0 / 12 left 64 % of posts under 20 letters
# `und`; the margin and the letter count were what dropped them, not the confidence.
MIN_CONFIDENCE = 0.3
# The best language must also be this many times likelier than the runner-up (mixed texts fail).
MIN_MARGIN = 1.5
# Below this, chatter like "ok lol" gets a random European language: `und` is more honest.
MIN_LETTERS = 6
# With a hint, another language wins only on a text this long, this sure and this far ahead
# (tuning tweets: 3 of 7,678 rightly hinted posts overridden, 63 % of wrongly hinted rescued).
OVERRIDE_LETTERS = 20
OVERRIDE_CONFIDENCE = 0.8
OVERRIDE_MARGIN = 4.0
# lingua reads at most this many characters of a post (after cleaning): its accuracy is flat past
# ~120, while its cost grows with the length (past ~120 letters it counts trigrams only). At 180
# rather than 250, no language changes on 10,554 shared tweets and reviews, the 112 gold articles,
# 4,000 bench posts and the gold posts (4 articles' confidences move), and detection costs 0.17
# instead of 0.23 ms on a bench post. (Before 250: no change at 200, 250 or 300 either.)
DETECTED_CHARS = 180

# Links, @mentions and the publishers' "http" placeholder are no language's words; a hashtag's
# word is (#fail, #grève), so only its `#` goes.
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|\bhttp\b|#")


@cache
def _language(code: str) -> Language | None:
    """lingua's language for an ISO 639-1 code, None when lingua does not know it."""
    iso = getattr(IsoCode639_1, code.upper(), None)
    return Language.from_iso_code_639_1(iso) if iso is not None else None


@cache
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    chosen = [lang for lang in map(_language, languages) if lang is not None]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def normalise_hint(hint: str | None) -> str | None:
    """`en-US`, `EN`, ` fr_FR ` → `en` / `fr`; empty or `und` → None."""
    if not hint:
        return None
    code = re.split(r"[-_]", hint.strip().lower(), maxsplit=1)[0]
    return code if code and code != UNDETERMINED else None


def clean(text: str) -> str:
    """`text` without links, mentions and hashtag signs, which are not words of any language."""
    return _NOISE.sub(" ", text)


def detect(
    text: str, languages: tuple[str, ...] = RECOGNISED, hint: str | None = None
) -> tuple[str, float]:
    """(ISO 639-1 code, confidence), or (`und`, best confidence) when too short, unsure or mixed.

    `hint` is the source-declared language or the project's single tracked language: it is
    returned unless the text is long and confidently another language. A hint lingua does not know
    (e.g. `ja` from Mastodon) is trusted as is. The confidence is lingua's for the returned code.
    """
    cleaned = clean(text[: 4 * DETECTED_CHARS])[:DETECTED_CHARS]
    letters = sum(map(str.isalpha, cleaned))
    prior = normalise_hint(hint)
    if prior is not None:
        return _with_hint(cleaned, letters, languages, prior)
    if letters < MIN_LETTERS:
        return UNDETERMINED, 0.0
    ranked = _detector(tuple(sorted(set(languages)))).compute_language_confidence_values(cleaned)
    best = ranked[0]
    runner_up = ranked[1].value if len(ranked) > 1 else 0.0
    confidence = round(float(best.value), 4)
    if confidence < MIN_CONFIDENCE or best.value < MIN_MARGIN * runner_up:
        return UNDETERMINED, confidence
    return _code(best.language), confidence


def _with_hint(
    cleaned: str, letters: int, languages: tuple[str, ...], prior: str
) -> tuple[str, float]:
    if _language(prior) is None or letters == 0:
        return prior, 0.0
    ranked = _detector(tuple(sorted({*languages, prior}))).compute_language_confidence_values(
        cleaned
    )
    values = {_code(r.language): float(r.value) for r in ranked}
    best = ranked[0]
    best_code, best_value = _code(best.language), float(best.value)
    if (
        best_code != prior
        and letters >= OVERRIDE_LETTERS
        and best_value >= OVERRIDE_CONFIDENCE
        and best_value >= OVERRIDE_MARGIN * values.get(prior, 0.0)
    ):
        return best_code, round(best_value, 4)
    return prior, round(values.get(prior, 0.0), 4)


def _code(lang: Language) -> str:
    return lang.iso_code_639_1.name.lower()


def within(lang: str, project_languages: Iterable[str]) -> str:
    """`lang` when the project analyses it, else `und`: the language to score a post in.

    Contract: record the detected code as the post's language, but score (sentiment model, NER)
    with `within(...)`; `und` means no language model applies, so the post gets the same handling
    as an undetermined one and is never scored by another language's model. An empty
    `project_languages` means "no restriction".
    """
    allowed = {code.lower() for code in project_languages}
    if not allowed or lang in allowed:
        return lang
    return UNDETERMINED
