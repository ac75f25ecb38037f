"""Language of a text with a confidence, or `und` when the text is too short or too mixed to tell.

lingua is deterministic and gives calibrated confidences. It is restricted to the project's
languages plus a few neighbours, so a Spanish or German post is recorded as such rather than forced
into fr/en.
"""

from __future__ import annotations

import re
from functools import cache

UNDETERMINED = "und"
# Languages recognised (recorded, not all analysed): the project's and their usual neighbours.
RECOGNISED = ("en", "fr", "de", "es", "it", "pt", "nl")
MIN_CONFIDENCE = 0.45
# The best language must also be this many times likelier than the runner-up (mixed texts fail).
MIN_MARGIN = 2.0
MIN_LETTERS = 12

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\bhttp\b")


@cache
def _detector(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    chosen = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages
    ]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def detect(text: str, languages: tuple[str, ...] = RECOGNISED) -> tuple[str, float]:
    """(ISO 639-1 code, confidence), or (`und`, best confidence) when too short, unsure or mixed."""
    cleaned = _NOISE.sub(" ", text)
    if sum(c.isalpha() for c in cleaned) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    values = _detector(tuple(sorted(set(languages))))
    ranked = values.compute_language_confidence_values(cleaned)
    best = ranked[0]
    runner_up = ranked[1].value if len(ranked) > 1 else 0.0
    confidence = round(float(best.value), 4)
    if confidence < MIN_CONFIDENCE or best.value < MIN_MARGIN * runner_up:
        return UNDETERMINED, confidence
    return best.language.iso_code_639_1.name.lower(), confidence
