"""Round ten: how often a thing happens to a brand's product or service, read in brand windows.

A failure that comes back is a complaint (`drops my calls about once a day`, `a new charger every
year`, `trouées tous les six mois`, `third repair in two years`); one that is rare is praise
(`one puncture in four years`, `une seule coupure en trois ans`, `plante une fois par an, pas
plus`). Two brands each given a frequency are set against each other: the more frequent failure
is blamed and the rarer praised (the reverse when what recurs is praised). What recurs is a
failure when its clause blames something or names a breakdown (`went`, `drops`, `plante`) or,
beside a habit, a replacement (`a new chain every six months`); praised when its clause praises
and blames nothing; otherwise it says nothing (`tourne tous les jours` is use, not failure).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transform import sentiment
from transform.caseless import Caseless, ignorecase_lowered
from transform.targeted.facts import _EN_NUMBERS, _FR_NUMBERS, _UNITS, _owner
from transform.targeted.text import Span

_PERIODS = {
    **_UNITS,
    **dict.fromkeys(("evening", "evenings", "morning", "mornings", "soir", "soirs"), 24.0),
    **dict.fromkeys(("matin", "matins", "nuit", "nuits"), 24.0),
    **dict.fromkeys(("winter", "winters", "summer", "summers", "hiver", "hivers"), 8760.0),
    **dict.fromkeys(("été", "étés"), 8760.0),
}
_NUMBERS = {**_EN_NUMBERS, **_FR_NUMBERS, "other": 2, "single": 1}
_NUMBER = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_PERIOD = "|".join(sorted((re.escape(p) for p in _PERIODS), key=len, reverse=True))
_N = rf"\d+|{_NUMBER}"
# `every six months`, `every other day`, `every couple of weeks`, `tous les deux mois`, `chaque
# hiver`, `toutes les semaines`.
_EVERY = Caseless(
    rf"\b(?:every|each|tous\s+les|toutes\s+les|chaque)\s+(?:(?P<n>{_N})\s+(?:of\s+)?)?"
    rf"(?P<u>{_PERIOD})\b"
)
_TIMES = frozenset({"once", "twice", "times", "fois"})
# `once a day`, `twice a week`, `three times a month`, `une fois par an`, `deux fois par semaine`.
_TIMES_PER = Caseless(
    rf"\b(?:(?P<once>once|twice)|(?P<n>{_N})\s+(?:times|fois))\s+(?:a|an|per|par|each|every)\s+"
    rf"(?P<u>{_PERIOD})\b"
)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "deuxième": 2}
_ORDINALS |= {"troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6}
_ORDINAL = "|".join(_ORDINALS)
# `one puncture in four years`, `third repair in two years`, `une seule coupure en trois ans`,
# `deux fois en un an`, `three outages this month`: a count over a period (the period found first,
# then the count in the words before it).
_OVER_PERIOD = Caseless(
    rf"\b(?:(?:in|en|over|sur)\s+(?:the\s+(?:last|past)\s+|les\s+)?(?P<n>{_N})\s+"
    rf"(?P<u>{_PERIOD})|(?:this|ce|cette)\s+(?P<this>{_PERIOD}))\b"
)
_COUNT_BEFORE = re.compile(
    rf"(?<![\w'’])(?P<c>{_N}|{_ORDINAL})(?:\s+(?:seule?|single))?(?:\s+[\w'’-]+){{0,2}}?\s+$",
    re.IGNORECASE,
)
# Words of a breakdown: what recurs beside them is a failure.
_BREAKDOWNS = frozenset(
    {"went", "goes", "gone", "drops", "dropped", "dropping", "fails", "failed", "crashes"}
    | {"crashed", "broke", "breaks", "died", "dies", "snaps", "snapped", "repair", "repairs"}
    | {"replacement", "replaced", "puncture", "punctures", "flat", "outage", "outages"}
    | {"plante", "plantait", "coupe", "coupait", "coupure", "coupures", "tombe", "tombait"}
    | {"lâche", "casse", "cassé", "cassée", "trouées", "troués", "crevaison", "crevaisons"}
    | {"réparation", "réparations", "panne"}
)
# A thing bought again and again (`a new chain every six months`, `une nouvelle batterie tous
# les six mois`) is a failure too, beside a habit only (`40 new stores this year` is no failure).
_REPLACEMENTS = frozenset({"new", "another", "nouvelle", "nouveau", "autre"})
# A frequency these stand beside is a most, not a habit (`une fois par an, pas plus`).
_AT_MOST = re.compile(
    r"\b(?:only|just|at\s+most|max|seulement|pas\s+plus|au\s+plus|tout\s+au\s+plus)\b", re.I
)
MONTH, YEAR = 720.0, 8760.0
# More than once a year is frequent for a failure counted over a period.
RARE_PER_HOUR = 1.0 / YEAR
# Two brands' frequencies are set against each other when one is this many times the other.
FREQUENCY_RATIO = 2.5
FREQUENT_VALENCE = -0.5
RARE_VALENCE = 0.4


@dataclass(frozen=True)
class Frequency:
    """A frequency in a post: where it is, how many times per hour, and whether it reads as a
    habit (`every`, `once a`) or as a count over a period that may be rare."""

    start: int
    end: int
    per_hour: float
    habit: bool


def frequencies(text: str, words: frozenset[str] | set[str] | None = None) -> list[Frequency]:
    """The frequencies of `text`, in order (`words`, its lower-cased words when known: a text
    naming no period has none, and is not scanned)."""
    if words is not None and words.isdisjoint(_PERIODS):
        return []
    found: list[Frequency] = []
    lowered = ignorecase_lowered(text)
    for m in _EVERY.finditer(text, lowered):
        n = _number(m.group("n")) if m.group("n") else 1.0
        found.append(
            Frequency(m.start(), m.end(), 1.0 / (n * _PERIODS[m.group("u").lower()]), True)
        )
    times = words is None or not words.isdisjoint(_TIMES)
    for m in _TIMES_PER.finditer(text, lowered) if times else ():
        once = m.group("once")
        n = (1.0 if once.lower() == "once" else 2.0) if once else _number(m.group("n"))
        found.append(Frequency(m.start(), m.end(), n / _PERIODS[m.group("u").lower()], True))
    for m in _OVER_PERIOD.finditer(text, lowered):
        before = max(0, m.start() - 40)
        c_match = _COUNT_BEFORE.search(text, before, m.start())
        if c_match is None or any(f.start <= c_match.start() < f.end for f in found):
            continue
        count = c_match.group("c").lower()
        c = _ORDINALS[count] if count in _ORDINALS else _number(count)
        if m.group("this"):
            period = _PERIODS[m.group("this").lower()]
        else:
            period = _number(m.group("n")) * _PERIODS[m.group("u").lower()]
        if period < MONTH or (c == 1 and period < YEAR):
            continue  # `a refund in three days`, `une réponse en deux mois`: a length, no count
        found.append(Frequency(c_match.start(), m.end(), c / period, False))
    return sorted(found, key=lambda f: f.start)


def _number(word: str) -> float:
    word = word.lower()
    return float(_NUMBERS[word]) if word in _NUMBERS else float(word)


def frequency_events(
    text: str,
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    events: Mapping[int, float],
    found_frequencies: Sequence[Frequency] | None = None,
) -> dict[int, float]:
    """Valences keyed by token: a frequency's first token carries the verdict; in a clause read as
    a rare failure, the failure's own words are zeroed (`coupure` is no complaint there).
    `found_frequencies`: `frequencies(text)`, when the caller has them already."""
    if found_frequencies is None:
        found_frequencies = frequencies(text)
    if not found_frequencies:
        return {}
    starts = analysis.starts
    names = sorted((s, brand) for brand, brand_spans in spans.items() for s, _ in brand_spans)
    named = [(a, e) for brand_spans in spans.values() for a, e in brand_spans]
    by_brand: dict[str, list[tuple[Frequency, int, list[int], int]]] = {}
    for f in found_frequencies:
        brand = _owner(text, names, f.start)
        k = bisect_left(starts, f.start)
        if brand is None or k >= len(starts):
            continue
        clause = _clause_tokens(text, analysis, f, named)
        by_brand.setdefault(brand, []).append(
            (f, k, clause, _polarity(analysis, events, clause, f))
        )
    found: dict[int, float] = {}
    verdicts: dict[str, bool] = {}  # brand → its frequency is the worse one
    if len(by_brand) == 2:
        (a, fa), (b, fb) = by_brand.items()
        ra, rb = max(f.per_hour for f, *_ in fa), max(f.per_hour for f, *_ in fb)
        polarities = {x[3] for x in fa + fb}
        failure = -1 in polarities
        if (failure or 1 in polarities) and max(ra, rb) >= FREQUENCY_RATIO * min(ra, rb):
            a_worse = (ra > rb) == failure
            verdicts = {a: a_worse, b: not a_worse}
    for brand, items in by_brand.items():
        for f, k, clause, polarity in items:
            failure = polarity < 0
            if brand in verdicts:
                worse = verdicts[brand]
            elif failure and (f.habit or f.per_hour > RARE_PER_HOUR):
                worse = not _AT_MOST.search(text[_clause_start(text, f.start) : f.end + 20])
            elif failure:
                worse = False
            else:
                continue
            found[k] = FREQUENT_VALENCE if worse else RARE_VALENCE
            if not worse and failure:
                # (`une seule coupure en trois ans`: the failure named is what is rare)
                found.update({i: 0.0 for i in clause if i != k and analysis.valences[i] < 0})
                found.update({i: 0.0 for i in clause if i != k and events.get(i, 0.0) < 0})
    return found


def _clause_start(text: str, start: int) -> int:
    return max(text.rfind(c, 0, start) for c in ".!?;,\n") + 1


def _clause_tokens(
    text: str, analysis: sentiment.Analysis, f: Frequency, named: Sequence[Span]
) -> list[int]:
    """Tokens of the frequency's clause (cut at punctuation), brand names left out."""
    begin = _clause_start(text, f.start)
    ends = [i for i in (text.find(c, f.end) for c in ".!?;,\n") if i >= 0]
    end = min(ends) if ends else len(text)
    starts = analysis.starts
    return [
        i
        for i in range(bisect_left(starts, begin), bisect_left(starts, end))
        if not any(a <= starts[i] < e for a, e in named)
    ]


def _polarity(
    analysis: sentiment.Analysis, events: Mapping[int, float], clause: Sequence[int], f: Frequency
) -> int:
    """-1: what recurs is a failure; 1: it is praised (outside the frequency's own words: `tous`
    is praise in the lexicon); 0: the clause does not say."""
    values = [events.get(i, analysis.valences[i]) for i in clause]
    failures = _BREAKDOWNS | _REPLACEMENTS if f.habit else _BREAKDOWNS
    if any(v < 0 for v in values) or any(analysis.tokens[i].text in failures for i in clause):
        return -1
    outside = [
        v for i, v in zip(clause, values, strict=True) if not f.start <= analysis.starts[i] < f.end
    ]
    return 1 if any(v > 0 for v in outside) else 0
