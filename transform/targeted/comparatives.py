"""Rules that rank brands against each other in one clause.

`A is better/cheaper than B`, `A moins cher que B`, `twice as fast as B`, ranking verbs (`beat`,
`devance`) and idioms (`nowhere near`, `à des années-lumière de`, `n'arrive pas à la cheville de`)
give A the comparative's valence and B its opposite (`less`/`moins` flip it); `lower`/`plus bas`
praise a price and blame anything else; `even` gives the second brand the same fault. A comparison
is scoped to the clause holding `than`/`que`, goes on after `but`/`mais` (`pricier than B but far
more reliable`), ranks nothing in a question; an amount of money makes `less`/`de moins` cheaper;
`-er` forms take their base's valence. Outside a comparison `less`/`fewer`/`moins` turn the next
word round and `plus cher` is a price complaint (`inversions`). Two amounts of money in a
sentence, each nearest one brand, blame the dearer (`amount_ranking`); `neither A nor B` / `ni A
ni B` deny one statement of both (`neither_brands`); `unlike A` / `compared to A` / `comparé à A`
set A against the next clauses (not in a question: `Is A worth it compared to B?`), and `at least
B` / `au moins B` set B above the brand blamed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import pairwise

from transform import lexicon, sentiment
from transform.targeted.clauses import _SENTENCE_END
from transform.targeted.prices import _COST_WORDS, price_moves
from transform.targeted.text import (
    _DEMONSTRATIVES,
    MASK,
    ROLE_SCORE,
    Span,
    _asked,
    _nearest_brand,
    _word_before,
)

# `at least A …` / `au moins A …`: a concession that sets A above what was just blamed.
_AT_LEAST = {
    "en": re.compile(r"\bat least\b"),
    "fr": re.compile(r"\b(?:au|du) moins\b"),
}
# Words that open a description of the brand just named, not a new statement.
_DESCRIBING = frozenset(
    {"which", "who", "that", "and", "with", "whose", "qui", "que", "qu", "dont", "et", "avec"}
)
_UNLIKE = {
    "en": ("unlike", "compared to", "compared with", "as opposed to"),
    "fr": ("contrairement", "à la différence", "comparé à", "comparée à", "par rapport à"),
}
_THAN = {"en": frozenset({"than"}), "fr": frozenset({"que", "qu"})}
_LESS = {"en": frozenset({"less", "fewer"}), "fr": frozenset({"moins"})}
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
# Verbs that rank one brand above the next (`A beat B in the survey`, `A devance B`).
_BEAT_VERBS = {
    "en": frozenset(
        {"beat", "beats", "outperforms", "outperformed", "outclasses", "trounces", "tops", "topped"}
    ),
    "fr": frozenset({"devance", "devancé", "bat", "battu", "surpasse", "surpassé", "écrase"}),
}
# `A is (miles) ahead of B`, `A largement devant B`; `behind`/`derrière` the other way.
# `A is light years ahead of B`, `A est à des années-lumière de B`; `A is nowhere near B`, `A
# can't hold a candle to B`, `A n'arrive pas à la cheville de B` (A behind).
_AHEAD = {"en": frozenset({"ahead"}), "fr": frozenset({"devant", "années-lumière"})}
_BEHIND = {
    "en": frozenset({"behind", "candle", "nowhere"}),
    "fr": frozenset({"derrière", "cheville"}),
}
# `twice as fast as B`: a multiplier makes `as … as` a comparative (a bare one is equality).
_MULTIPLIERS = frozenset({"twice", "thrice", "times", "x"})
# Round eight: half the time or the price of another is a ranking (`A runs our builds in half the
# time B took`), and so is being as good as B for half the price (`A is as good as B for half
# the price`, `A vaut B pour moitié prix`).
_HALF = frozenset({"half", "moitié"})
_HALVED = frozenset({"time", "price", "cost", "money", "temps", "prix", "coût", "tarif"})
_EVEN = {"en": frozenset({"even"}), "fr": frozenset({"encore"})}

_MORE = {"en": frozenset({"more"}), "fr": frozenset({"plus"})}
# An amount of money (`10p`, `£5`, `100 €`, `20 balles`): a comparison of prices.
# A bare amount right before `less`/`more` is one too (`for 100 less than B`).
_MONEY = re.compile(
    r"[£$€]\s?\d|\d\s?(?:[£$€]|p\b|k\b|euros?\b|eur\b|dollars?\b|pounds?\b|quid\b|bucks\b"
    r"|cents?\b|balles\b|less\b|more\b|de moins\b|de plus\b)",
    re.IGNORECASE,
)
_LOWER = {"en": frozenset({"lower"}), "fr": frozenset({"bas", "basse", "basses"})}
_HIGHER = {
    "en": frozenset({"higher"}),
    "fr": frozenset({"élevé", "élevée", "élevés", "élevées", "haut", "hauts"}),
}
# `plus cher` outside a comparison between brands: a price complaint (`cher` alone is weak, it
# also means `dear`).
_PRICEY = frozenset({"cher", "chère", "chers", "chères"})
PRICEY_VALENCE = -0.5
_OF = frozenset({"de", "d'"})
# `neither A nor B …`, `ni A ni B …`: one statement denied of both.
_NEITHER = {"en": ("neither", "nor"), "fr": ("ni", "ni")}
# `€45 at A for what B gives for €20`: two amounts of money in a sentence, each by one brand.
_AMOUNT = re.compile(
    r"[£$€]\s?(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s?(?:[£$€]|euros?\b|eur\b|balles\b|quid\b"
    r"|bucks\b|dollars?\b|pounds?\b)",
    re.IGNORECASE,
)


def _conceded_to(lowered: str, lang: str, spans: Sequence[Span]) -> bool:
    """`at least A …`, `A at least …`, `au moins A`: the phrase just before or after a name."""
    pattern = _AT_LEAST.get(lang)
    return pattern is not None and any(
        pattern.search(lowered[max(0, s - 12) : s]) or pattern.search(lowered[e : e + 12])
        for s, e in spans
    )


def _unlike_against(
    lowered: str,
    lang: str,
    clauses: Sequence[Span],
    named: Sequence[set[str]],
    spans: Sequence[Span],
) -> list[int]:
    """`unlike A, B is great`: the clauses A is set against (the next ones, up to two), or the rest
    of A's clause (`compared to A the B bakery is great`). The marker must stand just before A
    (at most one word between: `unlike the A`), not anywhere before it in the clause."""
    markers = _UNLIKE.get(lang, ())
    for start, _ in spans:
        k = next((k for k, (a, b) in enumerate(clauses) if a <= start < b), None)
        if k is None:
            continue
        before = lowered[clauses[k][0] : start]
        near = [before.rfind(m) + len(m) for m in markers if m in before]
        if not near or len(re.findall(r"\w+", before[max(near) :])) > 1:
            continue
        # `Is A worth it compared to B?`, `ça vaut le coup par rapport à B ?`: a question sets
        # nothing against B.
        ending = re.search(r"[.!?\n]", lowered[start:])
        if ending and ending.group() == "?":
            continue
        # `compared to A it's paradise`: what follows A in its clause is what A is set against.
        # (`unlike A which sent me …`, `A and their fees`, `A qui …` describe A itself).
        end = next((e for s, e in spans if s == start), start)
        rest = re.findall(r"\w+", lowered[end : clauses[k][1]])
        if rest and rest[0] not in _DESCRIBING:
            return [k]
        following = [j for j in range(k + 1, min(k + 3, len(clauses)))]
        if following:
            return following
    return []


def inversions(analysis: sentiment.Analysis) -> dict[int, float]:
    """`le réseau moins bon`, `less reliable`, `moins de coupures`: the word after `less`/`moins`
    (`moins de`) turned round (×-0.6, as a negation), and `less`/`moins` itself left at 0; `plus
    cher` a price complaint. Applied after `_comparatives`, which reads a `than`/`que` comparison
    between brands itself (`moins cher que B`)."""
    less = _LESS.get(analysis.lang, frozenset())
    more = _MORE.get(analysis.lang, frozenset())
    tokens, valences = analysis.tokens, analysis.valences
    found: dict[int, float] = {}
    for i, token in enumerate(tokens):
        if token.kind != "word":
            continue
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if token.text in more and following in _PRICEY:
            found[i], found[i + 1] = 0.0, PRICEY_VALENCE
            continue
        if token.text not in less:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].text in _OF:
            j += 1
        if j < len(tokens) and tokens[j].kind == "word" and valences[j]:
            found[i] = 0.0
            found[j] = -0.6 * valences[j]
    return found


def _comparatives(
    text: str,
    analysis: sentiment.Analysis,
    valences: list[float],
    spans: Mapping[str, Sequence[Span]],
) -> dict[str, float]:
    """`A is better than B` / `A moins cher que B`: A the comparative's valence, B its opposite."""
    lang = analysis.lang
    than, less = _THAN.get(lang, frozenset()), _LESS.get(lang, frozenset())
    tokens, valences = _with_brand_tokens(analysis.tokens, valences, spans)
    owner: dict[int, str] = {}
    starts = [t.start for t in tokens]  # in text order
    for brand, brand_spans in spans.items():
        for a, b in brand_spans:
            inside = range(bisect_left(starts, a), bisect_left(starts, b))
            owner.update(dict.fromkeys(inside, brand))
    found: dict[str, float] = {}

    def rank(subject: str, other: str, value: float, alike: bool = False) -> None:
        found[subject] = found.get(subject, 0.0) + value
        # `A is even pricier than B`: B is pricey too.
        found[other] = found.get(other, 0.0) + (0.5 * value if alike else -value)

    contrast = lexicon.CONTRAST.get(lang, frozenset())
    beat = _BEAT_VERBS.get(lang, frozenset())
    ahead, behind = _AHEAD.get(lang, frozenset()), _BEHIND.get(lang, frozenset())
    cost = _COST_WORDS.get(lang, frozenset())
    for k, token in enumerate(tokens):
        if token.kind != "word":
            continue
        ranking = token.text in beat or token.text in ahead or token.text in behind
        halved = token.text in _HALF and _halves(tokens, k)
        ranking = ranking or halved
        word = token.text.rstrip("'")
        as_as = lang == "en" and word == "as"
        if not ranking and word not in than and not as_as:
            continue
        if _asked(tokens, k):
            continue  # `Is A any better than B?` asks, it does not rank
        if ranking:
            left = _nearest_brand(owner, tokens, k, -1)
            right = _nearest_brand(owner, tokens, k, +1)
            reach = 3 if token.text in beat else 6  # `A's customer care is miles ahead of B's`
            # `à des années-lumière de celui de B`: the pronoun standing for B's is no distance.
            ahead_of = 3 + sum(
                tokens[j].text in _DEMONSTRATIVES | {"that", "those"}
                for j in range(k + 1, right[0] if right else k + 1)
            )
            if (
                left
                and right
                and left[1] != right[1]
                and k - left[0] <= reach
                and right[0] - k <= ahead_of
            ):
                rank(left[1], right[1], -ROLE_SCORE if token.text in behind else ROLE_SCORE)
            continue
        left = _nearest_brand(owner, tokens, k, -1)
        right = _nearest_brand(owner, tokens, k, +1)
        if left is None or right is None or left[1] == right[1]:
            continue
        start, subject = left
        if as_as and right[0] - k > 3:
            continue  # `not as bad as people say, … B`: the second `as` names no brand
        # The comparison is the clause holding `than`: a negation or a valence before a comma or
        # a contrast word belongs to another statement (`A is not as bad as they say, better
        # than B`).
        start = _scope_start(text, tokens, start, k, contrast)
        between = [tokens[i].text for i in range(start + 1, k)]
        # `twice as fast as B` ranks; `not as good as B` ranks the other way; `as … as` alone
        # says they are alike.
        ranks = "as" in between and bool(set(between) & (_MULTIPLIERS | {"not", "isn't"}))
        if as_as and not ranks:
            following = range(right[0] + 1, min(right[0] + 5, len(tokens)))
            if any(tokens[j].text in _HALF and _halves(tokens, j) for j in following):
                rank(subject, right[1], ROLE_SCORE)  # `as good as B for half the price`
            continue
        markers = _COMPARATIVE_MARKERS.get(lang)
        if markers is not None and not set(between) & markers:
            continue
        sentence_start = next(
            (i + 1 for i in range(k - 1, -1, -1) if tokens[i].kind in ("stop", "bang")), 0
        )
        priced = any(tokens[i].text in cost for i in range(sentence_start, k)) or bool(
            _MONEY.search(text[tokens[sentence_start].start : tokens[k].start])
        )
        flip = as_as and bool(set(between) & {"not", "isn't"})
        # `A is not cheaper than B (anymore)`, `A n'est plus moins cher que B`: the other way round.
        if not as_as and set(between) & lexicon.NEGATIONS.get(lang, frozenset()):
            flip = True
        value, flip = _comparison_value(
            tokens, valences, range(start + 1, k), lang, priced=priced, flip=flip
        )
        if not value and priced and set(between) & (_MORE.get(lang, frozenset()) | less):
            value = -0.5  # `10p more than B`, `100 € de moins que B` (`less` flips it)
        if value:
            alike = bool(set(between) & _EVEN.get(lang, frozenset()))
            rank(subject, right[1], -value if flip else value, alike)
        # `A is pricier than B but way more reliable`: the comparison goes on after the contrast.
        after, after_flip, plain = _comparison_after_contrast(
            tokens, valences, right[0], owner, lang
        )
        if after:
            rank(subject, right[1], -after if after_flip else after)
        elif plain and value:
            found[subject] = found.get(subject, 0.0) + plain
    return found


def _halves(tokens: Sequence[sentiment.Token], k: int) -> bool:
    """`half` at `k` halves a time or a price (`half the time`, `moitié prix`)."""
    return any(t.text in _HALVED for t in tokens[k + 1 : k + 3])


def _with_brand_tokens(
    tokens: list[sentiment.Token], valences: Sequence[float], spans: Mapping[str, Sequence[Span]]
) -> tuple[list[sentiment.Token], list[float]]:
    """The tokens with one more (valence 0) for each brand name the tokenizer drops (a handle,
    `@zestmobile`), so that `@fibrea beats @zestmobile` has two brands to rank."""
    starts = [t.start for t in tokens]  # (in order: a name holds a token when one starts in it)
    extra = [
        (sentiment.Token(MASK, s, e, "word"), 0.0)
        for brand_spans in spans.values()
        for s, e in brand_spans
        if bisect_left(starts, s) == bisect_left(starts, e)
    ]
    if not extra:
        return tokens, list(valences)
    merged = sorted([*zip(tokens, valences, strict=True), *extra], key=lambda x: x[0].start)
    return [t for t, _ in merged], [v for _, v in merged]


def _scope_start(
    text: str, tokens: list[sentiment.Token], start: int, k: int, contrast: frozenset[str]
) -> int:
    """The last token before `k` that opens its clause (after a comma, a colon or a contrast
    word), or `start` (the subject brand) when none stands between them."""
    for j in range(k - 1, start, -1):
        gap = text[tokens[j - 1].end : tokens[j].start]
        if tokens[j].text in contrast:
            return j
        if "," in gap or ":" in gap:
            return j - 1
    return start


def _comparison_value(
    tokens: list[sentiment.Token],
    valences: Sequence[float],
    indices: Sequence[int],
    lang: str,
    *,
    priced: bool,
    flip: bool,
) -> tuple[float, bool]:
    """The valence a comparison gives its subject over `indices` and whether `less`/`moins`
    turned it round."""
    less = _LESS.get(lang, frozenset())
    lower, higher = _LOWER.get(lang, frozenset()), _HIGHER.get(lang, frozenset())
    extra = _COMPARATIVES.get(lang, {})
    intensifiers = lexicon.INTENSIFIERS.get(lang, {})
    value = 0.0
    for i in indices:
        word = tokens[i].text
        if word in less:
            flip = not flip
        elif word in lower:
            value += 0.5 if priced else -0.3
        elif word in higher:
            value += -0.5 if priced else 0.3
        elif word not in intensifiers and word not in _MULTIPLIERS:
            value += extra.get(word, valences[i] or _comparative_form(word, lang))
    return value, flip


def _comparative_form(word: str, lang: str) -> float:
    """The valence of an English `-er` comparative's base (`easier`, `nicer`, `bigger`)."""
    if lang != "en" or len(word) < 5 or not word.endswith("er"):
        return 0.0
    stem = word[:-2]
    bases = [stem[:-1] + "y"] if stem.endswith("i") else [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.append(stem[:-1])
    return next((v for b in bases if (v := sentiment._lookup(b, lang))), 0.0)


def _comparison_after_contrast(
    tokens: list[sentiment.Token],
    valences: Sequence[float],
    other: int,
    owner: Mapping[int, str],
    lang: str,
) -> tuple[float, bool, float]:
    """`… than B but way more reliable`, `… que B mais tellement plus fiable`: a comparative with
    no brand after a contrast word in the same sentence, weighted as the side after `but`; the
    third value is such a clause's plain valence when it compares nothing (`A is cheaper than B
    but the upload speed is a joke`: said of A alone)."""
    contrast = lexicon.CONTRAST.get(lang, frozenset())
    markers = _MORE.get(lang, frozenset()) | _LESS.get(lang, frozenset())
    extra = _COMPARATIVES.get(lang, {})
    end = next(
        (i for i in range(other + 1, len(tokens)) if tokens[i].kind in ("stop", "bang")),
        len(tokens),
    )
    pivot = next((i for i in range(other + 1, end) if tokens[i].text in contrast), None)
    if pivot is None or any(i in owner for i in range(pivot, end)):
        return 0.0, False, 0.0
    rest = range(pivot + 1, end)
    words = {tokens[i].text for i in rest}
    if not words & markers and not any(w in extra or _comparative_form(w, lang) for w in words):
        return 0.0, False, 1.5 * sum(valences[i] for i in rest)
    value, flip = _comparison_value(tokens, valences, rest, lang, priced=False, flip=False)
    return 1.5 * value, flip, 0.0


def neither_brands(
    analysis: sentiment.Analysis, spans: Mapping[str, Sequence[Span]]
) -> dict[str, float]:
    """`Neither A nor B …`, `Ni A ni B …`: the statement after the last of them is denied of
    both, a complaint then (`ne couvrent ma rue`, `could get me a signal`), praise only when all
    it holds is a complaint word the `neither` denies (`neither A nor B ever let me down`)."""
    first, second = _NEITHER.get(analysis.lang, ("", ""))
    tokens = analysis.tokens
    if not first or not any(t.text == first for t in tokens):
        return {}
    starts = [t.start for t in tokens]
    opened: list[tuple[int, str]] = []  # (brand start, brand) after `neither`/`nor`
    for brand, brand_spans in spans.items():
        for s, _ in brand_spans:
            i = _word_before(tokens, starts, s, frozenset())
            if i >= 0 and tokens[i].text in (first, second):
                opened.append((s, brand))
    opened.sort()
    if len({b for _, b in opened}) < 2:
        return {}
    start = opened[0][0]
    i = _word_before(tokens, starts, start, frozenset())
    if tokens[i].text != first:
        return {}
    last_end = max(e for b in {b for _, b in opened} for s, e in spans[b] if s >= start)
    after = []
    for t in tokens[bisect_left(starts, last_end) :]:
        if t.kind in ("stop", "bang"):
            break
        if t.kind == "word":
            after.append(sentiment._lookup(t.text, analysis.lang))
    praise = any(v > 0 for v in after) or not any(v < 0 for v in after)
    value = -ROLE_SCORE if praise else ROLE_SCORE
    return {b: value for _, b in opened}


def amount_ranking(
    text: str, analysis: sentiment.Analysis, spans: Mapping[str, Sequence[Span]]
) -> dict[str, float]:
    """`€45 at A for what B gives for €20`, `45 € chez A pour ce que B donne à 20 €`: in a sentence
    with two amounts of money and two brands, each amount nearest one brand, the dearer brand is
    blamed and the cheaper praised. Not in a sentence where a price moves (`A raises its price
    by €3, B by €1`)."""
    found: dict[str, float] = {}
    moves = price_moves(analysis)
    moved_at = [analysis.tokens[i].start for i in moves]
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    for a, b in pairwise(cuts):
        names = [(s, e, brand) for brand, ss in spans.items() for s, e in ss if a <= s < b]
        amounts = [
            (m.start(), float((m.group(1) or m.group(2)).replace(",", ".")))
            for m in _AMOUNT.finditer(text, a, b)
        ]
        if len(amounts) != 2 or len({n for *_, n in names}) != 2 or amounts[0][1] == amounts[1][1]:
            continue
        if any(a <= at < b for at in moved_at):
            continue
        owners = [
            min((min(abs(at - s), abs(at - e)), n) for s, e, n in names)[1] for at, _ in amounts
        ]
        if owners[0] == owners[1]:
            continue
        dear = 0 if amounts[0][1] > amounts[1][1] else 1
        found[owners[dear]] = -ROLE_SCORE
        found[owners[1 - dear]] = ROLE_SCORE
    return found
