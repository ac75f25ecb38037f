"""A post cut into clauses, and the clauses that make each brand's window.

Clauses are cut on punctuation, before contrast words (`but`, `mais`, `par contre`, `alors que`,
`whereas`…) and a reason (`because`, `parce que`), and after an emoji that ends a sentence, so each
side of a contrast is scored apart; never inside a brand name (`Booking.com`). A brand's window is
its clauses and up to two brandless clauses after them; a run of bare brand clauses shares what
follows (`A, B et C : …`), and so does the next brand clause when it speaks of them all (`A, B and
C all failed`). In a why-question, what follows `when` / `alors que` is given, not asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from itertools import islice, pairwise

from transform import lexicon, sentiment
from transform.caseless import ignorecase_lowered
from transform.targeted.text import MASK, Span, _tokens_in

_CLAUSE_BREAK = re.compile(r"[,;:.!?\n()]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
_WORD_RUN = re.compile(r"\w+")
# An emoji followed by a capitalised word ends a sentence on social media ("… holiday 🙃 Then").
_EMOJI_STOP = re.compile(rf"(?:{sentiment._EMOJI})+(?=\s+[A-ZÀ-Ý])")
# … and so does one just before a brand name ("… holiday 🙃 easyJet never …").
_EMOJI_END = re.compile(rf"(?:{sentiment._EMOJI})+\s*$")
# Contrast markers of more than one word (the one-word ones are in the contrast lexicons).
_CONTRAST_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("on the other hand", "while", "whereas", "unlike", "compared to"),
    "fr": ("par contre", "alors que", "tandis que", "en revanche", "contrairement", "au contraire"),
}
# A reason or cause opens a clause of its own (`moving to A because B keeps throttling`).
_SUBORDINATORS: dict[str, tuple[str, ...]] = {
    "en": ("because", "since", "cause", "coz"),
    "fr": ("parce que", "parce qu", "car", "puisque", "vu que"),
}
# Words that speak of every brand just listed (`A, B and C all failed`, `A comme B, aucun ne
# répond`).
_COLLECTIVE = {
    "en": re.compile(r"(?<!\w)(?:all|both|none of them|each of them|neither of them)(?!\w)"),
    "fr": re.compile(r"(?<!\w)(?:tous|toutes|les deux|aucun|aucune|chacun|aucun des deux)(?!\w)"),
}
# `Why does A take weeks when B answers the same day?`: what follows `when` is given, not asked.
_WHY = {"en": ("why", "how come"), "fr": ("pourquoi", "comment se fait-il")}
_WHY_PIVOTS = {"en": ("when", "while", "whereas"), "fr": ("alors que", "alors qu", "quand")}
_SENTENCE_END = re.compile(r"[.!?\n]+(?=\s|$)")
MAX_ATTACHED = 2


def _owners(
    named: Sequence[set[str]], bare: Sequence[bool], collective: Sequence[bool] = ()
) -> list[set[str]]:
    """Each clause's brands: its own, else those of the clauses before it (a run of bare brand
    clauses, `A, B et C : …`, shares what follows), up to `MAX_ATTACHED` clauses away; leading
    clauses go to the first brands, the `MAX_ATTACHED` nearest of them. A run is shared by the
    next brand clause too when that one speaks of them all (`A, B and C all failed`)."""
    owners: list[set[str]] = []
    run: set[str] = set()
    current: set[str] = set()
    since = 0
    together = list(collective) or [False] * len(named)
    for brands, is_bare, whole in zip(named, bare, together, strict=True):
        if brands:
            owners.append(set(brands) | (run if whole and not is_bare else set()))
            run = run | brands if is_bare else set()
            current, since = run or set(brands), 0
        else:
            since += 1
            run = set()  # bare brand clauses share what follows only when they are adjacent
            owners.append(set(current) if since <= MAX_ATTACHED else set())
    first_at = next((k for k, b in enumerate(named) if b), len(named))
    for k in range(max(0, first_at - MAX_ATTACHED), first_at):
        owners[k] = set(named[first_at])
    return owners


def _other_words(
    analysis: sentiment.Analysis, clause: Span, spans: Sequence[Span], enough: int
) -> int:
    """How many words of the clause are outside the brand names in `spans`, counted up to
    `enough`: a clause with few is bare (`Orange et SFR,`, `Engie,`)."""
    others = 0
    a, b = clause
    spans = [(s, e) for s, e in spans if s < b and a < e]  # (only these can hold its tokens)
    named = set(_tokens_in(analysis, spans)) if spans else set()
    tokens = analysis.tokens
    for i in _tokens_in(analysis, [clause]):
        if tokens[i].kind == "word" and i not in named:
            others += 1
            if others >= enough:
                break
    return others


def _masked_text(
    text: str, ranges: Sequence[Span], spans: Sequence[Span], dropped: Sequence[Span] = ()
) -> str:
    """The clauses in `ranges`, brand names replaced by a handle, `dropped` spans left out."""
    edits = [(s, e, MASK) for s, e in spans] + [(s, e, "") for s, e in dropped]
    parts = []
    for a, b in ranges:
        chunk, offset = text[a:b], a
        for s, e, by in sorted(x for x in edits if a <= x[0] < b):
            chunk = chunk[: s - offset] + by + chunk[e - offset :]
            offset += (e - s) - len(by)
        parts.append(chunk.strip())
    return " ".join(parts)


def _sentence_clauses(
    text: str,
    clauses: Sequence[Span],
    named: Sequence[set[str]],
    owners: Sequence[set[str]],
    brand: str,
    spans: Mapping[str, Sequence[Span]],
) -> list[int]:
    """The clauses of the brand's sentences that belong to no brand outside those listed with
    it."""
    own = spans[brand]
    mine = [(a, b) for a, b in _sentence_spans(text) if any(a <= s < b for s, _ in own)]
    co_listed = set().union(*(named[k] for k in range(len(clauses)) if brand in named[k]))
    return [
        k
        for k, (a, _) in enumerate(clauses)
        if any(s <= a < e for s, e in mine) and owners[k] <= co_listed
    ]


@lru_cache(maxsize=8)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    """The character ranges of the sentences of `text` (read once for all of a post's brands)."""
    cuts = sorted({0, len(text), *(m.end() for m in _SENTENCE_BREAK.finditer(text))})
    return tuple((a, b) for a, b in pairwise(cuts) if b > a)


def clause_ranges(
    text: str, lang: str, starts: Sequence[int] = (), names: Sequence[Span] = ()
) -> list[Span]:
    """Character ranges of clauses: split on punctuation, before contrast words and after an emoji
    that ends a sentence (before a capital, or before one of `starts`, the brand names); never
    inside a brand name of `names` (`Booking.com`, `Yahoo!`)."""
    cuts = {0, len(text)}
    for m in _CLAUSE_BREAK.finditer(text):
        cuts.add(m.end())
    for m in _EMOJI_STOP.finditer(text):
        cuts.add(m.end())
    cuts.update(s for s in starts if _EMOJI_END.search(text[max(0, s - 8) : s]))
    cuts.update(_contrast_words(text, lang))
    lowered = text.lower()
    cuts.update(_why_pivots(text, lang))
    for phrase in (*_CONTRAST_PHRASES.get(lang, ()), *_SUBORDINATORS.get(lang, ())):
        if phrase not in lowered:
            continue  # (the pattern, which cannot skip ahead, would scan the text for nothing)
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            cuts.add(m.start())
    ordered = sorted(c for c in cuts if not any(s < c < e for s, e in names))
    ranges: list[Span] = []
    pending = None  # a blank between a comma's cut and a `but`'s joins the next clause (else
    # it would use up one of a brand's `MAX_ATTACHED` clauses)
    for a, b in pairwise(ordered):
        if b <= a:
            continue
        start = a if pending is None else pending
        if not text[a:b].strip() and b < len(text):
            pending = start
            continue
        ranges.append((start, b))
        pending = None
    return ranges


@cache
def _contrast_pattern(lang: str) -> re.Pattern[str]:
    """A word of `lang`'s contrast lexicon, whole, in lower case."""
    words = sorted(w for w in lexicon.CONTRAST.get(lang, ()) if _WORD_RUN.fullmatch(w))
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)" if words else "(?!)")


def _contrast_words(text: str, lang: str) -> list[int]:
    """Where the words of `text` that are contrast words once lower-cased start: found in the
    lowered text by one pattern (`caseless.ignorecase_lowered`), word by word when it has none."""
    lowered = ignorecase_lowered(text)
    if lowered is None:
        contrast = lexicon.CONTRAST.get(lang, frozenset())
        return [m.start() for m in _WORD_RUN.finditer(text) if m.group().lower() in contrast]
    return [m.start() for m in _contrast_pattern(lang).finditer(lowered)]


def _contrast_opens(text: str, lang: str, clauses: Sequence[Span]) -> list[int]:
    """Where the clauses that open on a contrast word or phrase (`but`, `alors que`, `par
    contre`; not `au top` for `au contraire`) start."""
    return list(_contrast_opens_of(text, lang, tuple(clauses)))


@lru_cache(maxsize=8)
def _contrast_opens_of(text: str, lang: str, clauses: tuple[Span, ...]) -> tuple[int, ...]:
    """`_contrast_opens`, read once for a post's clauses (its valences, its sarcasm emoji and its
    praise each ask)."""
    lowered = text.lower()
    words = lexicon.CONTRAST.get(lang, frozenset())
    phrases = [tuple(p.split()) for p in _CONTRAST_PHRASES.get(lang, ())]
    reach = max((len(p) for p in phrases), default=1)  # (the words a clause is read by)
    opens = []
    for a, b in clauses:
        head = [m.group() for m in islice(_WORD_RUN.finditer(lowered, a, b), reach)]
        if head and (head[0] in words or any(tuple(head[: len(p)]) == p for p in phrases)):
            opens.append(a)
    return tuple(opens)


def _why_question(lang: str) -> re.Pattern[str] | None:
    why, pivots = _WHY.get(lang), _WHY_PIVOTS.get(lang)
    if not why or not pivots:
        return None
    asks = "|".join(re.escape(w) for w in why)
    given = "|".join(re.escape(w) for w in pivots)
    return re.compile(rf"(?<!\w)(?:{asks})(?!\w)[^.!?\n]*?(?<!\w)({given})(?!\w)[^.!?\n]*\?")


_WHY_QUESTIONS = {lang: _why_question(lang) for lang in _WHY}


def _why_pivots(text: str, lang: str) -> list[int]:
    """Where the given part of a why-question starts (`Why does A take weeks when B …?`)."""
    pattern = _WHY_QUESTIONS.get(lang)
    if pattern is None or "?" not in text:
        return []
    return [m.start(1) for m in pattern.finditer(text.lower())]
