"""Switching: the brand left is negative, the one switched to positive.

`moved from A to B`, `left A for B`, `résilié chez A … pour prendre B`, `bye A, hello B`, `B here I
come`, `jumped ship`, `je pars chez B`; a brand named before a destination with a leave verb
between is the one left (`gave up on A and moved to B`). A regret just before the switch verb turns
it round (`je regrette d'avoir quitté A pour B`); `no regrets` praises the move. `I miss A` / `A me
manque` praise A and turn a switch away from it round (`missed_brands`). An arrow between two
names is a switch (`A -> B`, `A → B`); the one left may be named in the sentence before the one
switched to (`After 8 years with A I'm done. Signed with B.`), or after it behind `after … on` /
`après … chez` (`Back to A after a year on B`). A brand left and then gone back to is where one
went, and the one tried between is the one left (`Switched from A to B … Going back to A`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from functools import cache

from transform import lexicon, sentiment
from transform.targeted.clauses import _CLAUSE_BREAK
from transform.targeted.results import _BrandPlan
from transform.targeted.text import _DEMONSTRATIVES, Span, _word_before

_SWITCH_VERBS = {
    "en": frozenset(
        {
            "switched",
            "switch",
            "switching",
            "moved",
            "moving",
            "move",
            "went",
            "changed",
            "migrated",
            "ported",
            "porting",
            "signed",
            "transferred",
            "jumped",
            "hopped",
            "back",  # `back to A after a year on B`, `went back to A`
            "returned",
        }
    ),
    "fr": frozenset(
        {
            "passé",
            "passée",
            "passer",
            "passe",
            "repasse",
            "repassé",
            "changé",
            "migré",
            "parti",
            "partie",
            "basculé",
            "bascule",
            "porté",
            "porter",
            "signé",
            "revenu",
            "revenue",
            "reviens",
            "revenir",
            "retourne",
            "retourné",
            "retournée",
            "retourner",
            "retour",
            "transféré",
            "transférée",
            "pars",
            "partir",
        }
    ),
}
# `Bye bye A, hello B`: a greeting names where one goes, once a farewell (a leave word) is said.
# `Bye bye A, bonjour B`: farewells borrowed across languages.
_FAREWELLS = frozenset({"bye", "goodbye", "adieu", "ciao"})
_GREETINGS = {
    "en": frozenset({"hello", "hi", "welcome"}),
    "fr": frozenset({"bonjour", "salut", "bienvenue"}),
}
# … and so does `B here I come` / `B me voilà` after the name.
_ARRIVALS = {"en": (("here", "i", "come"),), "fr": (("me", "voilà"), ("me", "voila"))}
_FROM = {"en": frozenset({"from"}), "fr": frozenset({"de", "d'"})}
# Round eight: getting rid of a product is leaving its brand (`Sold the A after the fourth fault
# and bought a B`, `Revendu la A, j'ai pris une B`), as a leave verb of `lexicons/*.leave.txt`.
_GOT_RID = {
    "en": frozenset({"sold", "scrapped", "binned", "ditching"}),
    "fr": frozenset({"revendu", "revendue", "vendu", "vendue", "bazardé", "bazardée"}),
}
_TO = {
    "en": frozenset({"to", "for", "with"}),
    "fr": frozenset({"pour", "chez", "vers", "à"}),
}
SWITCH_VALENCE = 0.6
# Words looked at before a brand for a switch (`cancelled Netflix and signed up for B`).
SWITCH_REACH = 8
SWITCH_NEAR = 6
# Where one was, after a leave verb (`résilié chez A`); a taking verb after one (`pour prendre B`).
_AT = {"en": frozenset({"with", "at"}), "fr": frozenset({"chez"})}
_TAKE = {
    "en": frozenset({"joined", "got", "took", "picked", "chose", "bought"}),
    "fr": frozenset({"prendre", "pris", "prise", "choisi", "rejoint", "souscrit", "signé"}),
}
_ALL_SWITCH_VERBS = frozenset().union(
    *_SWITCH_VERBS.values(), *lexicon.LEAVE_VERBS.values(), *_GOT_RID.values()
)
_ALL_DESTINATIONS = frozenset().union(*_TO.values(), *lexicon.DESTINATION_WORDS.values())
# Skipped between a switching word and the brand (`left my Hulu`, `passé de la BNP`).
_DETERMINERS = {
    "en": frozenset({"the", "my", "our", "a", "an"}),
    "fr": frozenset({"le", "la", "les", "l'", "mon", "ma", "mes", "un", "une"}),
}
_REGRETS = frozenset(
    {"regret", "regrets", "regretted", "regretting", "regrette", "regretter", "regretté"}
)
# `I miss A`, `A me manque`, `je regrette A`: the one missed is praised (and a switch away from it
# regretted).
_MISS = {"en": frozenset({"miss", "missing"}), "fr": frozenset({"regrette"})}
_MISSED_BY = {
    "fr": (frozenset({"me", "m'", "nous"}), frozenset({"manque", "manquent", "manquait"}))
}
_GONE = frozenset({"went", "gone", "go", "goes"})
_MISS_SKIP = frozenset({"my", "the", "old", "good", "our", "mon", "ma", "mes", "le", "la", "l'"})


def _regretted_switch(analysis: sentiment.Analysis) -> bool:
    """A regret, not negated, just before a switch verb (`I regret leaving`, `je regrette
    d'avoir quitté`); `no regrets`, `je ne regrette pas` are no regret."""
    lang = analysis.lang
    verbs = _SWITCH_VERBS.get(lang, frozenset()) | lexicon.LEAVE_VERBS.get(lang, frozenset())
    negations = lexicon.NEGATIONS.get(lang, frozenset())
    words = [t.text for t in analysis.tokens]
    for i, word in enumerate(words):
        if word not in _REGRETS or any(w in negations for w in words[max(0, i - 2) : i + 2]):
            continue
        if any(w in verbs for w in words[i + 1 : i + 6]):
            return True
    return False


def _infer_origins(
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    plans: dict[str, _BrandPlan],
    rules: Sequence[float] = (),
) -> None:
    """`Gave up on A and moved to B`: a brand named before a destination, in its sentence, with a
    switching or leave verb between them, is the one left. Without one there, in a post naming
    two brands, the other brand of the sentence just before is, unless the rules find praise in
    its window (`rules`, by window): `After 8 years with A I'm done. Signed with B this morning.`
    A brand named after the destination in its sentence, behind `after … with/on` (`après … chez`),
    is the one left too: `Back to A after a year on B`, `Revenu chez A après un an chez B`.
    """
    lang = analysis.lang
    verbs = (
        _SWITCH_VERBS.get(lang, frozenset())
        | lexicon.LEAVE_VERBS.get(lang, frozenset())
        | _GOT_RID.get(lang, frozenset())
    )
    tokens = analysis.tokens
    for destination, plan_ in plans.items():
        if plan_.shift <= 0:
            continue
        end = min(s for s, _ in spans[destination])
        sentences_before: dict[str, int] = {}
        for origin, other in plans.items():
            if other.shift or origin == destination:
                continue
            start = min(s for s, _ in spans[origin])
            between = [t for t in tokens if start < t.start < end]
            stops = [k for k, t in enumerate(between) if t.kind in ("stop", "bang")]
            if start < end and not stops and any(t.text in verbs for t in between):
                other.shift = -SWITCH_VALENCE
            elif start < end:
                # sentence ends between them: runs of stops (`...`, `?!`) count once
                sentences_before[origin] = sum(1 for k in stops if k - 1 not in stops)
            elif start > end and _left_after(tokens, end, start, lang):
                other.shift = -SWITCH_VALENCE
        if len(plans) == 2 and list(sentences_before.values()) == [1]:
            [origin] = sentences_before
            other = plans[origin]
            if not other.shift and (not rules or rules[other.own] <= 0):
                other.shift = -SWITCH_VALENCE


def switch_valence(analysis: sentiment.Analysis, spans: list[Span]) -> float:
    """-0.6 for a brand left (`left A`, `switched from A`, `résilié chez A`), +0.6 for the one
    switched to (`moved to B`, `left A for B`, `cancelled A and signed up for B`). A brand left
    and then gone back to is where one went (`Switched from A to B … Going back to A`)."""
    values = [v for v in _span_switches(analysis, spans) if v]
    if _returned(values):
        return SWITCH_VALENCE
    return sum(values)


def _returned(values: Sequence[float]) -> bool:
    """A switch away from a brand, then one back to it, in the order of its names."""
    left = next((k for k, v in enumerate(values) if v < 0), None)
    return left is not None and any(v > 0 for v in values[left + 1 :])


def returns(analysis: sentiment.Analysis, spans: Mapping[str, Sequence[Span]]) -> set[str]:
    """The brands left and then gone back to (`Switched from A to B … Going back to A`): the
    one switched to between is the one left in the end."""
    return {
        brand
        for brand, brand_spans in spans.items()
        if len(brand_spans) > 1 and _returned(_span_switches(analysis, list(brand_spans)))
    }


@cache
def _switch_words(lang: str) -> tuple[frozenset[str], ...]:
    """The leave words (verbs, farewells, getting rid), the switch verbs, the destination words
    of `lang`, and the leave words that are no switch verb, and no farewell."""
    leave = (
        lexicon.LEAVE_VERBS.get(lang, frozenset()) | _FAREWELLS | _GOT_RID.get(lang, frozenset())
    )
    destination = lexicon.DESTINATION_WORDS.get(lang, frozenset()) | _TO.get(lang, frozenset())
    switch = _SWITCH_VERBS.get(lang, frozenset())
    return leave, switch, destination, leave - switch, leave - _FAREWELLS


def _span_switches(analysis: sentiment.Analysis, spans: list[Span]) -> list[float]:
    """The switch each name of a brand takes part in, in the order of `spans`."""
    lang = analysis.lang
    leave, switch, destination, pure_leave, leave_words = _switch_words(lang)
    origin = _FROM.get(lang, frozenset())
    at = _AT.get(lang, frozenset())
    take = _TAKE.get(lang, frozenset())
    determiners = _DETERMINERS.get(lang, frozenset())
    tokens = [t for t in analysis.tokens if t.kind == "word"]
    starts, words = [t.start for t in tokens], [t.text for t in tokens]
    # Round eight: a switch stays in its sentence (`Un technicien est passé. Pour B, rien.`).
    stops = [t.start for t in analysis.tokens if t.kind in ("stop", "bang")]
    farewell = not leave.isdisjoint(words)
    greetings = _GREETINGS.get(lang, frozenset())
    values: list[float] = []
    for start, end in sorted(spans):
        values.append(0.0)
        # (the starts are in order: the words from `end` on, the sentence's before `start`)
        following = bisect_left(starts, end)
        if any(tuple(words[following : following + len(a)]) == a for a in _ARRIVALS.get(lang, ())):
            values[-1] = SWITCH_VALENCE
            continue
        stop = bisect_left(stops, start)
        opened = stops[stop - 1] if stop else -1
        sentence = words[bisect_right(starts, opened) : bisect_left(starts, start)]
        before = sentence[-SWITCH_REACH - 1 :]
        while before and before[-1] in determiners:
            before.pop()
        before = before[-SWITCH_REACH:]
        if not before:
            continue
        if farewell and before[-1] in greetings:
            values[-1] = SWITCH_VALENCE
            continue
        # A verb form after a determiner is a noun (`une partie du réseau`).
        before = [
            w if not (k and before[k - 1] in determiners) else "" for k, w in enumerate(before)
        ]
        last = before[-1]
        # A leave verb reaches further than a motion verb (`went back to A after years with B`).
        verbs_before = any(w in leave for w in before[:-1]) or any(
            w in switch for w in before[-SWITCH_NEAR - 1 : -1]
        )
        # `parti chez B` is where one went: only a pure leave verb makes `chez A` the origin.
        left_at = len(before) > 1 and before[-2] in pure_leave and last in at
        left_behind = last in leave or (len(before) > 1 and before[-2] in leave)
        # `passé de chez A à B`, `porté mon numéro hors de chez A`: `chez` after `de` is the origin.
        after_from = last in at and len(before) > 1 and before[-2] in origin
        # `celle de A`, `celui de A` is A's (one), not where one came from.
        owned = last in origin and len(before) > 1 and before[-2] in _DEMONSTRATIVES
        came_from = (last in origin or after_from) and verbs_before and not owned
        if left_at or came_from or (left_behind and last not in destination):
            values[-1] = -SWITCH_VALENCE
        elif verbs_before and (last in take or (last in destination and _first_goal(before))):
            values[-1] = SWITCH_VALENCE
        elif last in take and any(w in leave_words for w in sentence[:-1]):
            # `Sold the A after the fourth fault and bought a B`: a leave verb anywhere before
            # in the sentence makes what is taken the destination.
            values[-1] = SWITCH_VALENCE
    return values


def _first_goal(before: Sequence[str]) -> bool:
    """The destination word ending `before` is the first after the last switching verb (`passé
    chez B après dix ans chez A`: B is where one went, A is not)."""
    verbs = _ALL_SWITCH_VERBS
    last_verb = max((k for k, w in enumerate(before) if w in verbs), default=-1)
    goals = _ALL_DESTINATIONS
    return not any(w in goals for w in before[last_verb + 1 : -1])


def missed_brands(
    text: str, analysis: sentiment.Analysis, spans: Mapping[str, Sequence[Span]]
) -> set[str]:
    """`I miss A`, `really missing my old A`, `je regrette A`, `A me manque`: brands missed (not
    `don't miss A`, nor `the order went missing, A …`)."""
    lang = analysis.lang
    miss = _MISS.get(lang, frozenset())
    negations = lexicon.NEGATIONS.get(lang, frozenset())
    pronouns, verbs = _MISSED_BY.get(lang, (frozenset(), frozenset()))
    tokens = analysis.tokens
    found: set[str] = set()
    if not any(t.text in miss or t.text in verbs for t in tokens):
        return found
    starts = [t.start for t in tokens]
    for brand, brand_spans in spans.items():
        for s, e in brand_spans:
            i = _word_before(tokens, starts, s, _MISS_SKIP)
            if (
                i >= 0
                and tokens[i].text in miss
                and not _CLAUSE_BREAK.search(text[tokens[i].end : s])
                and not any(t.text in negations | _GONE for t in tokens[max(0, i - 3) : i])
            ):
                found.add(brand)
            j = bisect_left(starts, e)
            following = [t.text for t in tokens[j : j + 3]]
            if following[:1] and following[0] in pronouns and set(following[1:]) & verbs:
                found.add(brand)
    return found


# `A -> B`, `A → B`: a switch written as an arrow between two brand names.
_ARROW = re.compile(r"\s*(?:-+>|=+>|→|⟶|➔|➡\ufe0f?)\s*")


def arrow_switches(text: str, spans: Mapping[str, Sequence[Span]]) -> dict[str, float]:
    """The brand left (-0.6) and the one switched to (+0.6) of `A -> B`, `Orange → Bouygues`:
    nothing but an arrow between the two names."""
    found: dict[str, float] = {}
    for origin, origin_spans in spans.items():
        for destination, destination_spans in spans.items():
            if origin == destination:
                continue
            if any(
                _ARROW.fullmatch(text[end:start])
                for _, end in origin_spans
                for start, _ in destination_spans
                if start > end
            ):
                found[origin], found[destination] = -SWITCH_VALENCE, SWITCH_VALENCE
    return found


_AFTER = {"en": frozenset({"after"}), "fr": frozenset({"après"})}
_WITH = {"en": frozenset({"with", "on", "at"}), "fr": frozenset({"chez", "avec"})}


def _left_after(tokens: Sequence[sentiment.Token], end: int, start: int, lang: str) -> bool:
    """Between a destination (ending at `end`) and a brand (starting at `start`), in one
    sentence: `after`/`après`, then `with`/`on`/`chez` just before the brand."""
    between = [t for t in tokens if end <= t.start < start]
    if any(t.kind in ("stop", "bang") for t in between):
        return False
    words = [t.text for t in between if t.kind == "word"]
    after = _AFTER.get(lang, frozenset())
    return (
        bool(words) and words[-1] in _WITH.get(lang, frozenset()) and bool(after & set(words[:-1]))
    )
