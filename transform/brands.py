"""Which tracked brands a text mentions, and the rule that decided it.

Rules (the `rule` recorded on each match; see `transform/README.md`):

- `handle`        — an alias written as an account (`@nuage_telecom`), matched as a whole handle;
- `hashtag`       — an alias that is a hashtag (`#NuageTelecom`), or `#<alias without spaces>`;
- `alias`         — an unambiguous alias as a whole word/phrase (case-insensitive unless the alias
                    says `case_sensitive`);
- `alias+context` — an ambiguous alias (`needs_context`) that counts only because one of the brand's
                    context terms occurs in the same text;
- `alias+brand`   — an ambiguous alias, written capitalised, set side by side with another tracked
                    brand named unambiguously ("j'ai quitté Zest pour Nuage Télécom", "Zest vs
                    Fibréa"): only a connector (`pour`, `vs`, `et`, `or`, `,` …) between them. A
                    second brand elsewhere in the text is no context ("Orange is my favourite
                    colour, the SFR logo is red" is not about Orange), and a context term inside
                    another brand's name ("Célest Mobile") does not vouch either;
- `query`         — the brand's boolean `query:` (see `core/query.py`) decided, instead of
                    its aliases.

Every match carries an `Explanation`: the clause that matched, the spans and the context words.
A match is vetoed when it lies inside one of the brand's `exclusions` (`nuage de fumée`, `lemon
zest`), and an ambiguous alias without context is not a match. Word boundaries are "not a letter or
digit on either side", so names with regex metacharacters (`C++`, `AT&T`), emoji or one letter are
safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.config import Brand
from core.query import Node, Post, parse
from transform import caseless
from transform.unglued import Unglued

HANDLE, HASHTAG, ALIAS, ALIAS_CONTEXT = "handle", "hashtag", "alias", "alias+context"
ALIAS_BRAND, QUERY = "alias+brand", "query"
EXCLUSION = "exclusion"  # (the kind of an exclusion's `_Rule`: never a match's rule)
RULES = (HANDLE, HASHTAG, ALIAS, ALIAS_CONTEXT, ALIAS_BRAND, QUERY)
# What may stand between an ambiguous alias and a peer brand for the peer to vouch for it.
_CONNECTORS = frozenset(
    {"pour", "vs", "versus", "et", "ou", "à", "chez", "que", "plutôt", "contre", "and", "or"}
    | {"to", "from", "than", "over", "instead", "of", "with", "avec"}
)
_GAP = re.compile(r"[\s,;/&+\-–—()]+")


@dataclass(frozen=True)
class Explanation:
    """Why a text counts for a brand: stored with the match, shown by `ecoute query test`."""

    clause: str  # the rule or query clause that matched, e.g. `Orange AND forfait`
    spans: tuple[tuple[int, int], ...]  # every span the clause used, mention first
    context: tuple[str, ...] = ()  # the words that vouched: context terms, the peer brand…

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "spans": [list(s) for s in self.spans],
            "context": list(self.context),
        }


@dataclass(frozen=True)
class BrandMatch:
    brand: str
    alias: str
    rule: str
    start: int
    end: int
    explanation: Explanation | None = field(default=None, compare=False)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _bounded(literal: str, flags: int) -> re.Pattern[str]:
    """`literal` not glued to a letter/digit (or `_`) on either side."""
    escaped = re.escape(literal)
    return re.compile(rf"(?<![\w@#]){escaped}(?!\w)", flags)


# Each kind of rule as (what may not come right before, the rest): see `transform.unglued`.
def _literal(text: str) -> tuple[str, str]:
    """`text` as it is, not glued to a word, a handle or a hashtag (an exclusion)."""
    return r"[\w@#]", rf"{re.escape(text)}(?!\w)"


def _handle(text: str) -> tuple[str, str]:
    return r"[\w@]", rf"{re.escape(text)}(?![\w])"


def _hashtag(text: str) -> tuple[str, str]:
    return r"[\w#]", rf"{re.escape(text)}(?![\w])"


def _squeezed_tag(squeezed: str) -> tuple[str, str]:
    """`#<alias without spaces>`."""
    return r"[\w#]", rf"#{re.escape(squeezed)}(?!\w)"


def _spaced(text: str) -> tuple[str, str]:
    """The alias as a whole phrase, any run of spaces between its words."""
    spaced = re.escape(text).replace(r"\ ", r"\s+")
    return r"[\w@#]", rf"{spaced}(?!\w)"


@dataclass
class _Rule:
    alias: str
    rule: str
    pattern: re.Pattern[str]
    needs_context: bool
    key: str | None  # `first_word` of what the pattern matches: absent from a text, no match
    # `pattern` searched by its literal start: on the text when it is case-sensitive; written in
    # lower case for the lowered text (`caseless`) when it is not and can be; else None.
    searched: Unglued | None = None
    on_lowered: bool = False

    def spans(self, text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
        """The spans of `pattern` in a folded `text`, given `caseless.ignorecase_lowered(text)`
        (the same spans, found sooner when the rule can be searched)."""
        if self.searched is not None:
            if not self.on_lowered:
                return self.searched.spans(text)
            if lowered is not None:
                return self.searched.spans(lowered)
        return (m.span() for m in self.pattern.finditer(text))


def _rule(
    alias: str,
    kind: str,
    build: Callable[[str], tuple[str, str]],
    literal: str,
    flags: int,
    needs_context: bool,
    key: str | None,
) -> _Rule:
    """A rule whose pattern is `build(literal)` (case-insensitive by `flags`), searched by its
    start unless it is case-insensitive and `literal` in lower case holds a character that is
    not `caseless.SAFE`."""
    before, body = build(literal)
    pattern = re.compile(rf"(?<!{before}){body}", flags)
    rule = _Rule(alias, kind, pattern, needs_context, key)
    if not flags & re.IGNORECASE:
        rule.searched = Unglued(before, body)
    elif caseless.is_safe(lowered := literal.lower()):
        rule.searched, rule.on_lowered = Unglued(*build(lowered)), True
    return rule


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each of the (ordered, disjoint) `spans` replaced by as many spaces."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += (text[last:start], " " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


_WORD_RUN = re.compile(r"\w+")


# Texts whose scan and exclusions are remembered: an enrichment batch (500) masks and matches every
# text, then reads each one's brand spans.
BATCH_MEMORY = 1_024


def first_word(literal: str) -> str | None:
    """The first run of word characters of `literal`, or None when it has none."""
    found = _WORD_RUN.search(literal)
    return found.group() if found else None


class FirstWords:
    """Which literals may occur in a text, in one scan of it.

    A literal matched with word boundaries (every alias, hashtag, handle and exclusion here is)
    shows its first word as a whole word of the text, equal to it up to `re.IGNORECASE`. So one
    case-insensitive scan for the first words of every literal tells which patterns are worth
    running: the cost of a text no longer grows with the number of aliases it does not name.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = sorted(set(keys), key=lambda k: (-len(k), k))
        self._alike = _case_classes(self.keys)
        alternatives = "|".join(f"(?P<k{i}>{re.escape(k)})" for i, k in enumerate(self.keys))
        self._scan = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        # A key is a whole run of word characters: when every key is one in lower case of
        # `caseless.SAFE` characters, the scan is a search of the lowered text for each lowered
        # key as a whole word (the first key in the scan's order for each lowered form, as the
        # scan reports it).
        self._by_lower: dict[str, str] | None = None
        lowered = [k.lower() for k in self.keys]
        if all(caseless.is_safe(k) and _WORD_RUN.fullmatch(k) for k in lowered):
            self._by_lower = {}
            for key, low in zip(self.keys, lowered, strict=True):
                self._by_lower.setdefault(low, key)
        # Each lowered key as a whole word (a run of the lowered text equal to it), searched only
        # where it occurs at all.
        self._whole = [
            (low, key, Unglued(r"\w", rf"{re.escape(low)}(?!\w)"))
            for low, key in (self._by_lower or {}).items()
        ]
        self.present = lru_cache(maxsize=BATCH_MEMORY)(self._present)

    def _present(self, text: str) -> frozenset[str]:
        """The keys found in `text`, with the keys `re.IGNORECASE` holds equal to them."""
        if not self.keys:
            return frozenset()
        found: set[str] = set()
        lowered = None if self._by_lower is None else caseless.ignorecase_lowered(text)
        if self._by_lower is not None and lowered is not None:
            for low, key, whole in self._whole:
                if low in lowered and next(whole.spans(lowered), None) is not None:
                    found |= self._alike[key]
            return frozenset(found)
        return self._scanned(text)

    def _scanned(self, text: str) -> frozenset[str]:
        """What the one case-insensitive scan finds (the look-up of lowered words, when it can
        be used, finds the same)."""
        found: set[str] = set()
        for match in self._scan.finditer(text):
            found |= self._alike[self.keys[int((match.lastgroup or "k")[1:])]]
        return frozenset(found)


def _case_classes(keys: list[str]) -> dict[str, set[str]]:
    """Each key with every key `re.IGNORECASE` equates to it (ASCII: same lower case; otherwise
    the regex engine decides, as it knows folds such as `ſ` and `s`)."""
    alike = {k: {k} for k in keys}
    by_lower: dict[str, list[str]] = {}
    by_length: dict[int, list[str]] = {}
    for key in keys:
        by_length.setdefault(len(key), []).append(key)
        if key.isascii():
            by_lower.setdefault(key.lower(), []).append(key)
    for group in by_lower.values():
        for key in group:
            alike[key].update(group)
    for key in keys:
        if not key.isascii():
            for other in by_length[len(key)]:
                if re.fullmatch(re.escape(key), other, re.IGNORECASE):
                    alike[key].add(other)
                    alike[other].add(key)
    return alike


class BrandMatcher:
    """Compiled brand rules from the config; `find(text)` lists one match per brand (the first)."""

    def __init__(self, brands: list[Brand]):
        self._brands = [(b, self._compile(b)) for b in brands]
        self._queries: dict[str, Node] = {b.name: parse(b.query) for b in brands if b.query}
        self._context = {
            b.name: [_bounded(_fold(t), re.IGNORECASE) for t in b.context] for b in brands
        }
        self._exclusions = {
            b.name: [
                _rule(t, EXCLUSION, _literal, _fold(t), re.IGNORECASE, False, first_word(_fold(t)))
                for t in b.exclusions
            ]
            for b in brands
        }
        self._words = FirstWords(
            [r.key for _, rules in self._brands for r in rules if r.key is not None]
            + [r.key for found in self._exclusions.values() for r in found if r.key is not None]
        )
        # `find`, then `spans` for each brand it found, read the same post's exclusions: once.
        self._excluded = lru_cache(maxsize=BATCH_MEMORY)(self._excluded_spans)

    def _excluded_spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every brand's exclusion spans in a folded `text`."""
        present, lowered = self._words.present(text), caseless.ignorecase_lowered(text)
        return {
            name: [
                span
                for rule in rules
                if rule.key is None or rule.key in present
                for span in rule.spans(text, lowered)
            ]
            for name, rules in self._exclusions.items()
        }

    @staticmethod
    def _compile(brand: Brand) -> list[_Rule]:
        rules: list[_Rule] = []
        for alias in brand.all_aliases:
            text = _fold(alias.text)
            flags = 0 if alias.case_sensitive else re.IGNORECASE
            key, ambiguous = first_word(text), alias.needs_context
            if text.startswith("@") and len(text) > 1:
                rules.append(_rule(alias.text, HANDLE, _handle, text, re.IGNORECASE, False, key))
            elif text.startswith("#") and len(text) > 1:
                rules.append(_rule(alias.text, HASHTAG, _hashtag, text, re.IGNORECASE, False, key))
            else:
                squeezed = re.sub(r"\s+", "", text)
                if squeezed and re.fullmatch(r"\w+", squeezed):
                    tag = _rule(
                        alias.text,
                        HASHTAG,
                        _squeezed_tag,
                        squeezed,
                        re.IGNORECASE,
                        ambiguous,
                        squeezed,
                    )
                    rules.append(tag)
                rule = ALIAS_CONTEXT if ambiguous else ALIAS
                rules.append(_rule(alias.text, rule, _spaced, text, flags, ambiguous, key))
        # Longer aliases first so "Nuage Télécom" wins over "Nuage".
        return sorted(rules, key=lambda r: (-len(r.alias), RULES.index(r.rule)))

    def find(
        self,
        text: str,
        *,
        source: str | None = None,
        site: str | None = None,
        lang: str | None = None,
    ) -> list[BrandMatch]:
        """One match per brand (the first); `source`, `site`, `lang` feed the queries' scopes."""
        text = _fold(text)
        found: dict[str, BrandMatch] = {}
        ambiguous: list[tuple[str, _Rule, tuple[int, int]]] = []
        post = Post(text, source, site, lang) if self._queries else None
        exclusions = self._excluded(text)
        present, lowered = self._words.present(text), caseless.ignorecase_lowered(text)
        for brand, rules in self._brands:
            excluded = exclusions[brand.name]
            if brand.name in self._queries and post is not None:
                hit = self._query_match(brand.name, post, excluded)
                if hit is not None:
                    found[brand.name] = hit
                continue
            for rule in rules:
                if rule.key is not None and rule.key not in present:
                    continue
                match = next(
                    (s for s in rule.spans(text, lowered) if not _inside(s, excluded)),
                    None,
                )
                if match is None:
                    continue
                if rule.needs_context:
                    ambiguous.append((brand.name, rule, match))
                    continue
                found[brand.name] = BrandMatch(
                    brand.name,
                    rule.alias,
                    rule.rule,
                    *match,
                    Explanation(f"{rule.rule} {rule.alias!r}", (match,)),
                )
                break
        # Ambiguous aliases last: a peer brand named without ambiguity may vouch for them.
        anchored = {name: m for name, m in found.items() if m.rule != QUERY}
        for name, rule, span in ambiguous:
            if name in found:
                continue
            others = [(m.start, m.end) for n, m in anchored.items() if n != name]
            context = self._context_words(name, text, span, others)
            if context:
                found[name] = BrandMatch(
                    name,
                    rule.alias,
                    rule.rule,
                    *span,
                    Explanation(f"{rule.rule} {rule.alias!r}", (span,), context),
                )
            elif peer := _peer(text, span, anchored, name):
                found[name] = BrandMatch(
                    name,
                    rule.alias,
                    ALIAS_BRAND,
                    *span,
                    Explanation(
                        f"{ALIAS_BRAND} {rule.alias!r}",
                        (span, (peer.start, peer.end)),
                        (text[peer.start : peer.end],),
                    ),
                )
        order = [brand.name for brand, _ in self._brands]
        return sorted(found.values(), key=lambda m: order.index(m.brand))

    def _query_match(
        self, name: str, post: Post, excluded: list[tuple[int, int]]
    ) -> BrandMatch | None:
        """The first way the brand's query is true whose mention is not inside an exclusion."""
        for hit in self._queries[name].hits(post):
            if not hit.spans or _inside(hit.spans[0], excluded):
                continue
            start, end = hit.spans[0]
            words = tuple(dict.fromkeys(post.text[s:e] for s, e in hit.spans[1:]))
            explanation = Explanation(hit.clause, hit.spans, words)
            return BrandMatch(name, post.text[start:end], QUERY, start, end, explanation)
        return None

    def mask(self, text: str) -> str:
        """`text` with every alias blanked out, so brand names do not sway language detection."""
        folded = text = _fold(text)
        # Kept equal to `text` lowered: blanking a span of both keeps it so.
        lowered = caseless.ignorecase_lowered(folded)
        # The words of the text before any blanking (one scan): blanking only removes some.
        present = self._words.present(folded)
        for _, rules in self._brands:
            for rule in rules:
                if rule.key is None or rule.key in present:
                    found = list(rule.spans(text, lowered))
                    if found:
                        text = _blank(text, found)
                        lowered = None if lowered is None else _blank(lowered, found)
        return text

    def spans(self, text: str, brand: str) -> list[tuple[int, int]]:
        """Every occurrence of any alias of `brand` (for per-brand sentiment), excluded ones left
        out."""
        text = _fold(text)
        for spec, rules in self._brands:
            if spec.name == brand:
                excluded = self._excluded(text)[brand]
                present, lowered = self._words.present(text), caseless.ignorecase_lowered(text)
                found = {
                    s
                    for r in rules
                    if r.key is None or r.key in present
                    for s in r.spans(text, lowered)
                    if not _inside(s, excluded)
                }
                # One span per occurrence: "Nuage" inside "Nuage Télécom" is the same mention.
                return sorted(s for s in found if not _inside(s, [o for o in found if o != s]))
        return []

    def _context_words(
        self,
        brand: str,
        text: str,
        alias_span: tuple[int, int],
        others: list[tuple[int, int]],
    ) -> tuple[str, ...]:
        """The brand's context terms found outside the alias and outside other brands' names."""
        words: dict[str, None] = {}
        for pattern in self._context[brand]:
            for m in pattern.finditer(text):
                apart = m.end() <= alias_span[0] or m.start() >= alias_span[1]
                if apart and not _overlaps(m.span(), others):
                    words[m.group()] = None
                    break
        return tuple(words)


def _peer(
    text: str, span: tuple[int, int], anchored: dict[str, BrandMatch], name: str
) -> BrandMatch | None:
    """Another brand's unambiguous mention set right beside a capitalised ambiguous alias."""
    if not text[span[0]].isupper():
        return None
    for other, match in anchored.items():
        if other == name:
            continue
        gap = text[span[1] : match.start] if match.start >= span[1] else text[match.end : span[0]]
        if len(gap) > 40:
            continue
        words = _GAP.sub(" ", gap).casefold().split()
        if len(words) <= 2 and all(w in _CONNECTORS for w in words) and (words or gap.strip()):
            return match
    return None


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _inside(span: tuple[int, int], excluded: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in excluded)
