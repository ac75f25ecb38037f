"""Round ten: a time a brand gave, then the time it took (`said five days, came in three`).

A promise (`said`, `quoted`, `promised`, `annonçait`, `m'avait dit`) followed in its sentence by a
time, then by a second time: the second beat or met the first (praise) or came after it (a
complaint). Times of the same kind are compared: two lengths (`quoted two weeks … in nine days`,
`a promis un rappel dans l'heure … en dix minutes`), two days of the week (`said Friday, it came
Wednesday`; `the following Tuesday`, `le lundi suivant` is a week on), a time of day or a length
(`before noon … at 9`, `before noon … the next day`). A bare number after the promise takes its
unit (`said 14 days, it's been 30`, `m'avait dit un mois et ça en a pris deux`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence

from transform import sentiment
from transform.caseless import Caseless, ignorecase_lowered
from transform.targeted.facts import _EN_NUMBERS, _FR_NUMBERS, _UNITS, _lengths
from transform.targeted.text import Span

_PROMISE = {
    "en": Caseless(
        r"\b(?:said|says|quoted|quotes|promised|promises|estimated|told\s+(?:me|us)|"
        r"was\s+supposed\s+to|were\s+supposed\s+to|expected)\b"
    ),
    "fr": Caseless(
        r"(?:\b(?:annonçait|annonçaient|annoncé|annoncée|promettait|promettaient|promis|"
        r"promise|prévu|prévue|devait|devaient|disait|estimait)|\bavait\s+dit|\ba\s+dit|"
        r"\bm['’]a\s+dit|\bm['’]avait\s+dit|\bon\s+m['’]a\s+dit)\b"
    ),
}
# The words a promise holds, one of which a post must hold to be scanned.
_CUES = {
    "en": frozenset(
        {"said", "says", "quoted", "quotes", "promised", "promises", "estimated", "told"}
        | {"supposed", "expected"}
    ),
    "fr": frozenset(
        {"annonçait", "annonçaient", "annoncé", "annoncée", "promettait", "promettaient"}
        | {"promis", "promise", "prévu", "prévue", "devait", "devaient", "disait", "estimait"}
        | {"dit"}
    ),
}
_WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
_WEEKDAY = {
    lang: Caseless(
        rf"\b(?:(?P<next>following|next)\s+)?(?P<d>{'|'.join(days)})\b"
        r"(?:\s+(?P<after>suivant|d['’]après|prochain|after))?"
    )
    for lang, days in _WEEKDAYS.items()
}
# A time of day: `noon`, `midi`, `at 9`, `à 9 h`, `by 10am`.
_CLOCK = Caseless(
    r"\b(?P<noon>noon|midday|midi)\b|\b(?:at|by|à|vers|avant|before)\s+(?P<h>\d{1,2})"
    r"(?:[:h.]\s*\d{0,2})?\s*(?P<pm>am|pm)?(?![\w€£%])(?!\s*(?:days?|jours?|€|£|%))"
)
_NEXT_WEEK = Caseless(
    r"\b(?:next\s+week|the\s+week\s+after|la\s+semaine\s+(?:suivante|d['’]après|prochaine))\b"
)
_NUMBERS = {**_EN_NUMBERS, **_FR_NUMBERS}
for _article in ("a", "an", "un", "une"):
    del _NUMBERS[_article]
# A number with no unit that ends its clause (`it's been 30.`, `en a pris deux.`).
_BARE = re.compile(
    rf"(?<![\w£$€])(?P<n>\d+|{'|'.join(sorted(_NUMBERS, key=len, reverse=True))})"
    r"(?=\s*(?:[.,;!?)\n]|$))",
    re.I,
)
_UNIT_AFTER = re.compile(rf"^\s*(?P<u>{'|'.join(sorted(_UNITS, key=len, reverse=True))})\b", re.I)
_SENTENCE_END = re.compile(r"[.!?;\n]")
# Past the promised time by more than this share is late (`said 14 days, it's been 30`).
LATE_MARGIN = 1.2
KEPT_VALENCE = 0.5
BROKEN_VALENCE = -0.5


def _times(
    text: str, lang: str, begin: int, end: int, lowered: str | None
) -> list[tuple[int, str, float]]:
    """(start, kind, value) of the times in text[begin:end] (`lowered`: the text's
    `ignorecase_lowered`): kind `hours` (a length or a time of day, in hours) or `day` (a day of
    the week, 0-13)."""
    found = [(s, "hours", h) for s, h in _lengths(text[begin:end], lang)]
    found = [(begin + s, kind, h) for s, kind, h in found]
    for m in _WEEKDAY[lang].finditer(text, lowered, begin, end):
        day = _WEEKDAYS[lang].index(m.group("d").lower())
        later = m.group("next") or (m.group("after") and m.group("after").lower() != "prochain")
        found.append((m.start(), "day", float(day + (7 if later else 0))))
    for m in _CLOCK.finditer(text, lowered, begin, end):
        if m.group("noon"):
            hour = 12.0
        else:
            hour = float(m.group("h")) + (
                12 if (m.group("pm") or "").lower().startswith("p") else 0
            )
        found.append((m.start(), "hours", hour))
    found.extend(
        (m.start(), "hours", 168.0) for m in _NEXT_WEEK.finditer(text, lowered, begin, end)
    )
    # (one time, one place: `the next day` holds `day`, `at 9` may stand in a clock)
    found.sort()
    kept: list[tuple[int, str, float]] = []
    for item in found:
        if kept and item[0] == kept[-1][0]:
            continue
        kept.append(item)
    return kept


def promise_events(
    text: str, analysis: sentiment.Analysis, spans: Mapping[str, Sequence[Span]]
) -> dict[int, float]:
    """Valences keyed by the token where the time taken starts: `KEPT_VALENCE` when it met or
    beat the time promised before it, `BROKEN_VALENCE` when it came later."""
    lang = analysis.lang
    pattern = _PROMISE.get(lang)
    if pattern is None or _CUES[lang].isdisjoint(analysis.texts):
        return {}
    lowered = ignorecase_lowered(text)
    names = sorted(s for brand_spans in spans.values() for s, _ in brand_spans)
    starts = analysis.starts
    found: dict[int, float] = {}
    for cue in pattern.finditer(text, lowered):
        end_mark = _SENTENCE_END.search(text, cue.end())
        end = end_mark.start() if end_mark else len(text)
        # (another brand named after the promise tells its own story)
        end = min([end] + [s for s in names if s > cue.end()])
        times = _times(text, lang, cue.end(), end, lowered)
        if len(times) < 2:
            times += _bare(text, times, end)
        if len(times) < 2:
            continue
        (_, kind, promised), (start, taken_kind, taken) = times[0], times[1]
        if kind != taken_kind:
            continue
        verdict = KEPT_VALENCE if taken <= promised else BROKEN_VALENCE
        if kind == "hours" and promised < taken <= LATE_MARGIN * promised:
            continue
        # (the token the time starts at, or the word before it: numbers are no tokens)
        k = bisect_right(starts, start) - 1
        if k >= 0:
            found[k] = verdict
    return found


def _bare(
    text: str, times: Sequence[tuple[int, str, float]], end: int
) -> list[tuple[int, str, float]]:
    """A bare number after the one time promised, in the promise's unit."""
    if len(times) != 1 or times[0][1] != "hours":
        return []
    start = times[0][0]
    unit = _unit_of(text, start)
    if unit is None:
        return []
    for m in _BARE.finditer(text, start + 1, end):
        if _UNIT_AFTER.match(text[m.end() :]) or text[m.start() - 1 : m.start()] in "-–/":
            continue
        word = m.group("n").lower()
        n = float(_NUMBERS[word]) if word in _NUMBERS else float(word)
        return [(m.start(), "hours", n * unit)]
    return []


_NUMBER_AND_UNIT = re.compile(
    rf"[\w'’]+\s+(?:\w+\s+)?(?P<u>{'|'.join(sorted(_UNITS, key=len, reverse=True))})\b", re.I
)


def _unit_of(text: str, start: int) -> float | None:
    """The unit (in hours) of the length written at `start`."""
    m = _NUMBER_AND_UNIT.match(text, start)
    return _UNITS[m.group("u").lower()] if m else None
