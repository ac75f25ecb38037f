"""Sentiment of each brand inside a post, not only the post's ("I love A but B is awful").

One brand alone in a post gets the post's label from the backend (the post is about it), unless a
switching rule says otherwise. With several brands, each brand is scored on the rule valences of the
clauses that name it (`transform.sentiment.Analysis`), with these rules, in order:

1. clauses split on punctuation and before contrast words (`but`, `mais`, `par contre`, `alors
   que`, `whereas`, `however`…), so each side of a contrast is scored apart;
2. comparatives link two brands in one clause: `A is better/cheaper than B`, `A moins cher que B`,
   `A plus fiable que B` give A the comparative's valence and B its opposite (`less`/`moins` flip
   it);
3. `unlike A, B …` / `contrairement à A` gives A the opposite of the clause it is contrasted with;
4. switching, added to the clause's valence before the fallbacks below: a brand just after a leave
   verb (`left`, `quitté`, `switched from`) counts -0.6, one introduced by `for/to/pour/chez`
   after it +0.6 (`moved from A to B`, `passé de A à B`);
5. a brand whose clauses carry no valence takes its sentence's (a list: `A et B, même combat`,
   `both A and B are down`), leaving out the clauses that name other brands only;
6. no brand has any valence of its own: every brand takes the post's label (`Shell and BP
   posting record profits. Disgusting.`);
7. still nothing: the backend on the brand's clauses when it is polar there; else neutral (a
   brand named in a news sentence), or the post's label when it is the only brand.

Irony is read per clause (politeness beside a complaint in its own clause; praise in a sentence
with a sarcasm emoji such as 🙃 or 🙄), not across a contrast into the other brand's clause.

Confidence: the backend's for a post-level label; for a clause-level one, the rules' margin past
the threshold (`backends.rules_confidence`), lowered when it disagrees with the post's label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from transform import lexicon, sentiment
from transform.backends import Prediction, rules_confidence

Span = tuple[int, int]

_CLAUSE_BREAK = re.compile(r"[,;:.!?\n()]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
# Contrast markers of more than one word (the one-word ones are in the contrast lexicons).
_CONTRAST_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("on the other hand", "while", "whereas", "unlike", "compared to"),
    "fr": ("par contre", "alors que", "tandis que", "en revanche", "contrairement", "au contraire"),
}
_UNLIKE = {
    "en": ("unlike", "compared to", "as opposed to"),
    "fr": ("contrairement", "à la différence"),
}
_THAN = {"en": frozenset({"than"}), "fr": frozenset({"que", "qu"})}
_LESS = {"en": frozenset({"less"}), "fr": frozenset({"moins"})}
# French `que` is a comparative's only after one of these (not `alors que`, `parce que`).
_COMPARATIVE_MARKERS = {
    "fr": frozenset({"plus", "moins", "meilleur", "meilleure", "mieux", "pire", "aussi", "autant"})
}
# Comparatives the base lexicons leave out (their positive forms carry the valence elsewhere).
_COMPARATIVES: dict[str, dict[str, float]] = {
    "en": {
        "better": 0.6,
        "cheaper": 0.5,
        "faster": 0.5,
        "nicer": 0.5,
        "friendlier": 0.5,
        "worse": -0.6,
        "slower": -0.5,
        "pricier": -0.5,
        "dearer": -0.5,
        "costlier": -0.5,
    },
    "fr": {
        "meilleur": 0.6,
        "meilleure": 0.6,
        "mieux": 0.6,
        "pire": -0.6,
        "cher": -0.5,
        "chère": -0.5,
    },
}
_SWITCH_VERBS = {
    "en": frozenset({"switched", "switch", "switching", "moved", "went", "changed", "migrated"}),
    "fr": frozenset({"passé", "passée", "passer", "changé", "migré", "parti", "partie", "basculé"}),
}
_FROM = {"en": frozenset({"from"}), "fr": frozenset({"de", "d'"})}
_TO = {
    "en": frozenset({"to", "for"}),
    "fr": frozenset({"pour", "chez", "vers", "à"}),
}
SWITCH_VALENCE = 0.6
# Emoji that mark the praise around them as sarcasm ("Thanks X for the fee 🙃").
IRONY_EMOJI = frozenset({"🙃", "🙄", "😒", "🤡", "😑"})
# A clause-level label that contradicts the post's label is less sure.
DISAGREEMENT_FACTOR = 0.8


@dataclass(frozen=True)
class TargetedResult:
    """A brand's prediction and the rule that decided it (for evaluation and debugging)."""

    prediction: Prediction
    rule: str


def brand_sentiments(
    text: str,
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    post: Prediction,
    clause_model: Callable[[list[str]], list[Prediction]] | None = None,
) -> dict[str, TargetedResult]:
    """Each brand's label, score and confidence; `spans` holds every occurrence of each brand.

    `clause_model` (the backend on one language) scores, in one call, the clauses of the brands
    the rules leave at zero: a learned model knows words the lexicons do not.
    """
    lang = analysis.lang
    if lang not in sentiment.SUPPORTED or not spans:
        return {b: TargetedResult(post, "post") for b in spans}
    clauses = clause_ranges(text, lang)
    all_spans = [s for brand_spans in spans.values() for s in brand_spans]
    valences = _masked_valences(analysis, all_spans, clauses)
    totals: dict[str, float] = {}
    rules: dict[str, str] = {}
    comparisons = _comparatives(text, analysis, valences, spans)
    for brand, brand_spans in spans.items():
        switch = switch_valence(analysis, list(brand_spans))
        if len(spans) == 1:
            if switch:
                totals[brand], rules[brand] = switch, "switch"
            continue
        if brand in comparisons:
            totals[brand], rules[brand] = comparisons[brand] + switch, "comparative"
            continue
        total = _clause_total(analysis, valences, clauses, brand_spans)
        rule = "clause"
        if switch:
            total, rule = total + switch, "switch"
        if total == 0:
            total, rule = _unlike_total(text, analysis, valences, clauses, brand_spans), "unlike"
        if total == 0:
            total, rule = _sentence_total(text, analysis, valences, brand, spans), "sentence"
        if total == 0:
            rule = "none"
        totals[brand], rules[brand] = total, rule
    results: dict[str, TargetedResult] = {}
    unresolved = [b for b in spans if rules.get(b) == "none"]
    if len(unresolved) == len(spans):
        # No clause tells the brands apart: what the post says, it says of all of them.
        return {b: TargetedResult(post, "post") for b in spans}
    if clause_model is not None and unresolved:
        texts = [_clause_text(text, clauses, spans[b]) for b in unresolved]
        for brand, prediction in zip(unresolved, clause_model(texts), strict=True):
            if prediction.label != sentiment.NEUTRAL:
                results[brand] = TargetedResult(prediction, "clause-model")
    for brand in spans:
        if brand in results:
            continue
        if brand not in totals:
            results[brand] = TargetedResult(post, "post")
            continue
        result = sentiment.to_sentiment(totals[brand], lang)
        confidence = rules_confidence(result, lang) if totals[brand] else 0.5
        if result.label != post.label:
            confidence *= DISAGREEMENT_FACTOR
        prediction = Prediction(result.label, result.score, round(confidence, 4))
        results[brand] = TargetedResult(prediction, rules[brand])
    return results


def clause_ranges(text: str, lang: str) -> list[Span]:
    """Character ranges of clauses: split on punctuation and before contrast words."""
    cuts = {0, len(text)}
    for m in _CLAUSE_BREAK.finditer(text):
        cuts.add(m.end())
    contrast = lexicon.CONTRAST.get(lang, frozenset())
    for m in re.finditer(r"\w+", text):
        if m.group().lower() in contrast:
            cuts.add(m.start())
    lowered = text.lower()
    for phrase in _CONTRAST_PHRASES.get(lang, ()):
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            cuts.add(m.start())
    ordered = sorted(cuts)
    return [(a, b) for a, b in pairwise(ordered) if b > a]


def switch_valence(analysis: sentiment.Analysis, spans: list[Span]) -> float:
    """-0.6 for a brand left (`left A`, `switched from A`), +0.6 for the one switched to."""
    lang = analysis.lang
    leave = lexicon.LEAVE_VERBS.get(lang, frozenset())
    switch = _SWITCH_VERBS.get(lang, frozenset())
    destination = lexicon.DESTINATION_WORDS.get(lang, frozenset()) | _TO.get(lang, frozenset())
    origin = _FROM.get(lang, frozenset())
    words = [(t.start, t.text) for t in analysis.tokens if t.kind == "word"]
    value = 0.0
    for start, _ in spans:
        before = [w for s, w in words if s < start][-5:]
        if not before:
            continue
        last = before[-1]
        verbs_before = [w for w in before[:-1] if w in leave or w in switch]
        left_behind = last in leave or (len(before) > 1 and before[-2] in leave)
        if (left_behind and last not in destination) or (last in origin and verbs_before):
            value -= SWITCH_VALENCE
        elif last in destination and verbs_before:
            value += SWITCH_VALENCE
    return value


def _masked_valences(
    analysis: sentiment.Analysis, spans: Sequence[Span], clauses: Sequence[Span]
) -> list[float]:
    """Token valences with brand names zeroed (`Free`, `Orange` are words too), the post-level
    contrast weights undone (×0.5 before `but`, ×1.5 after) and irony read per clause: `love` is
    ironic next to a complaint in its own clause, not in another brand's across a `but`."""
    valences = list(analysis.valences)
    _irony_per_clause(analysis, valences, clauses)
    _sarcasm_emoji(analysis, valences)
    contrast = lexicon.CONTRAST.get(analysis.lang, frozenset())
    for group in sentiment.sentences(analysis.tokens):
        words = [analysis.tokens[i].text for i in group]
        pivot = next((k for k, w in enumerate(words) if w in contrast), None)
        if pivot is None:
            continue
        for k, i in enumerate(group):
            valences[i] /= 0.5 if k < pivot else 1.5
    return [
        0.0 if any(a <= t.start < b for a, b in spans) else v
        for t, v in zip(analysis.tokens, valences, strict=True)
    ]


def _irony_per_clause(
    analysis: sentiment.Analysis, valences: list[float], clauses: Sequence[Span]
) -> None:
    lang = analysis.lang
    polite = lexicon.IRONIC_WHEN_COMPLAINING.get(lang, frozenset())
    complaints = lexicon.COMPLAINT_WORDS.get(lang, frozenset())
    words = sentiment.word_lexicon(lang)
    for a, b in clauses:
        inside = _tokens_in(analysis, [(a, b)])
        texts = [analysis.tokens[i].text for i in inside]
        if any(w in complaints for w in texts):
            continue
        for i in inside:
            token = analysis.tokens[i]
            original = words.get(token.text, 0.0) * token.emphasis
            if token.text in polite and original > 0 and valences[i] < 0:
                others = [valences[j] for j in inside if j != i]
                if not any(v <= -0.5 for v in others):
                    valences[i] = original


def _sarcasm_emoji(analysis: sentiment.Analysis, valences: list[float]) -> None:
    """Praise in a sentence that carries a sarcasm emoji reads as its opposite."""
    tokens = analysis.tokens
    groups = sentiment.sentences(tokens)
    for k, group in enumerate(groups):
        # The emoji often opens the next sentence's tokens ("… holiday 🙃 easyJet …").
        near = group + (groups[k + 1][:1] if k + 1 < len(groups) else [])
        if not any(tokens[i].kind == "emoji" and tokens[i].text[:1] in IRONY_EMOJI for i in near):
            continue
        for i in group:
            if valences[i] > 0 and tokens[i].kind != "emoji":
                valences[i] = -0.8 * valences[i]


def _clause_text(text: str, clauses: list[Span], spans: Sequence[Span]) -> str:
    return " ".join(text[a:b] for a, b in clauses if any(a <= s < b for s, _ in spans))


def _tokens_in(analysis: sentiment.Analysis, ranges: Sequence[Span]) -> list[int]:
    return [i for i, t in enumerate(analysis.tokens) if any(a <= t.start < b for a, b in ranges)]


def _clause_total(
    analysis: sentiment.Analysis,
    valences: list[float],
    clauses: list[Span],
    spans: Sequence[Span],
) -> float:
    chosen = [c for c in clauses if any(c[0] <= s < c[1] for s, _ in spans)]
    return sum(valences[i] for i in _tokens_in(analysis, chosen))


def _unlike_total(
    text: str,
    analysis: sentiment.Analysis,
    valences: list[float],
    clauses: list[Span],
    spans: Sequence[Span],
) -> float:
    """`unlike A, B is great`: A gets the opposite of the clause it is set against."""
    lowered = text.lower()
    markers = _UNLIKE.get(analysis.lang, ())
    for start, _ in spans:
        k = next((k for k, (a, b) in enumerate(clauses) if a <= start < b), None)
        if k is None:
            continue
        a, _ = clauses[k]
        if not any(m in lowered[a:start] for m in markers):
            continue
        others = clauses[k + 1 : k + 3]
        total = sum(valences[i] for i in _tokens_in(analysis, others))
        if total:
            return -total
    return 0.0


def _sentence_total(
    text: str,
    analysis: sentiment.Analysis,
    valences: list[float],
    brand: str,
    spans: Mapping[str, Sequence[Span]],
) -> float:
    """A list (`A et B, même combat`): the sentence's valence minus clauses about other brands."""
    lang = analysis.lang
    cuts = sorted({0, len(text), *(m.end() for m in _SENTENCE_BREAK.finditer(text))})
    sentences = [(a, b) for a, b in pairwise(cuts) if b > a]
    clauses = clause_ranges(text, lang)
    own = spans[brand]
    total = 0.0
    for a, b in sentences:
        if not any(a <= s < b for s, _ in own):
            continue
        own_clauses = {c for c in clauses if any(c[0] <= s < c[1] for s, _ in own)}
        co_listed = {
            other
            for other, other_spans in spans.items()
            if any(c[0] <= s < c[1] for c in own_clauses for s, _ in other_spans)
        }
        kept = [
            c
            for c in clauses
            if a <= c[0] < b
            and not any(
                c[0] <= s < c[1]
                for other, other_spans in spans.items()
                if other not in co_listed
                for s, _ in other_spans
            )
        ]
        total += sum(valences[i] for i in _tokens_in(analysis, kept))
    return total


def _comparatives(
    text: str,
    analysis: sentiment.Analysis,
    valences: list[float],
    spans: Mapping[str, Sequence[Span]],
) -> dict[str, float]:
    """`A is better than B` / `A moins cher que B`: A the comparative's valence, B its opposite."""
    lang = analysis.lang
    than, less = _THAN.get(lang, frozenset()), _LESS.get(lang, frozenset())
    extra = _COMPARATIVES.get(lang, {})
    tokens = analysis.tokens
    owner: dict[int, str] = {}
    for brand, brand_spans in spans.items():
        for i, t in enumerate(tokens):
            if any(a <= t.start < b for a, b in brand_spans):
                owner[i] = brand
    found: dict[str, float] = {}
    for k, token in enumerate(tokens):
        if token.kind != "word" or token.text.rstrip("'") not in than:
            continue
        left = _nearest_brand(owner, tokens, k, -1)
        right = _nearest_brand(owner, tokens, k, +1)
        if left is None or right is None or left[1] == right[1]:
            continue
        start, subject = left
        between = {tokens[i].text for i in range(start + 1, k)}
        markers = _COMPARATIVE_MARKERS.get(lang)
        if markers is not None and not between & markers:
            continue
        value = 0.0
        flip = False
        for i in range(start + 1, k):
            word = tokens[i].text
            if word in less:
                flip = True
            value += extra.get(word, valences[i])
        if not value:
            continue
        value = -value if flip else value
        found[subject] = found.get(subject, 0.0) + value
        found[right[1]] = found.get(right[1], 0.0) - value
    return found


def _nearest_brand(
    owner: Mapping[int, str], tokens: list[sentiment.Token], k: int, step: int
) -> tuple[int, str] | None:
    """The brand token closest to token `k` in one direction, within the sentence."""
    i = k + step
    while 0 <= i < len(tokens) and tokens[i].kind not in ("stop", "bang"):
        if i in owner:
            return i, owner[i]
        i += step
    return None
