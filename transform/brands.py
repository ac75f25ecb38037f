"""Which tracked brands a text mentions, and the rule that decided it.

Rules (the `rule` recorded on each match; see `transform/README.md`):

- `handle`        — an alias written as an account (`@nuage_telecom`), matched as a whole handle;
- `hashtag`       — an alias that is a hashtag (`#NuageTelecom`), or `#<alias without spaces>`;
- `alias`         — an unambiguous alias as a whole word/phrase (case-insensitive unless the alias
                    says `case_sensitive`);
- `alias+context` — an ambiguous alias (`needs_context`) that counts only because one of the brand's
                    context terms occurs in the same text;
- `alias+brand`   — an ambiguous alias that counts because another tracked brand is named
                    unambiguously in the same text ("j'ai quitté Zest pour Nuage Télécom": a text
                    comparing operators is about operators).

A match is vetoed when it lies inside one of the brand's `exclusions` (`nuage de fumée`, `lemon
zest`), and an ambiguous alias without context is not a match. Word boundaries are "not a letter or
digit on either side", so names with regex metacharacters (`C++`, `AT&T`), emoji or one letter are
safe.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.config import Brand

HANDLE, HASHTAG, ALIAS, ALIAS_CONTEXT = "handle", "hashtag", "alias", "alias+context"
ALIAS_BRAND = "alias+brand"
RULES = (HANDLE, HASHTAG, ALIAS, ALIAS_CONTEXT, ALIAS_BRAND)


@dataclass(frozen=True)
class BrandMatch:
    brand: str
    alias: str
    rule: str
    start: int
    end: int


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _bounded(literal: str, flags: int) -> re.Pattern[str]:
    """`literal` not glued to a letter/digit (or `_`) on either side."""
    escaped = re.escape(literal)
    return re.compile(rf"(?<![\w@#]){escaped}(?!\w)", flags)


@dataclass
class _Rule:
    alias: str
    rule: str
    pattern: re.Pattern[str]
    needs_context: bool


class BrandMatcher:
    """Compiled brand rules from the config; `find(text)` lists one match per brand (the first)."""

    def __init__(self, brands: list[Brand]):
        self._brands = [(b, self._compile(b)) for b in brands]
        self._context = {
            b.name: [_bounded(_fold(t), re.IGNORECASE) for t in b.context] for b in brands
        }
        self._exclusions = {
            b.name: [_bounded(_fold(t), re.IGNORECASE) for t in b.exclusions] for b in brands
        }

    @staticmethod
    def _compile(brand: Brand) -> list[_Rule]:
        rules: list[_Rule] = []
        for alias in brand.all_aliases:
            text = _fold(alias.text)
            flags = 0 if alias.case_sensitive else re.IGNORECASE
            if text.startswith("@") and len(text) > 1:
                pattern = re.compile(rf"(?<![\w@]){re.escape(text)}(?![\w])", re.IGNORECASE)
                rules.append(_Rule(alias.text, HANDLE, pattern, False))
            elif text.startswith("#") and len(text) > 1:
                pattern = re.compile(rf"(?<![\w#]){re.escape(text)}(?![\w])", re.IGNORECASE)
                rules.append(_Rule(alias.text, HASHTAG, pattern, False))
            else:
                squeezed = re.sub(r"\s+", "", text)
                if squeezed and re.fullmatch(r"\w+", squeezed):
                    tag = re.compile(rf"(?<![\w#])#{re.escape(squeezed)}(?!\w)", re.IGNORECASE)
                    rules.append(_Rule(alias.text, HASHTAG, tag, alias.needs_context))
                spaced = re.escape(text).replace(r"\ ", r"\s+")
                pattern = re.compile(rf"(?<![\w@#]){spaced}(?!\w)", flags)
                rule = ALIAS_CONTEXT if alias.needs_context else ALIAS
                rules.append(_Rule(alias.text, rule, pattern, alias.needs_context))
        # Longer aliases first so "Nuage Télécom" wins over "Nuage".
        return sorted(rules, key=lambda r: (-len(r.alias), RULES.index(r.rule)))

    def find(self, text: str) -> list[BrandMatch]:
        text = _fold(text)
        found: dict[str, BrandMatch] = {}
        ambiguous: list[tuple[str, _Rule, tuple[int, int]]] = []
        for brand, rules in self._brands:
            excluded = [m.span() for p in self._exclusions[brand.name] for m in p.finditer(text)]
            for rule in rules:
                match = next(
                    (m for m in rule.pattern.finditer(text) if not _inside(m.span(), excluded)),
                    None,
                )
                if match is None:
                    continue
                if rule.needs_context:
                    ambiguous.append((brand.name, rule, match.span()))
                    continue
                found[brand.name] = BrandMatch(brand.name, rule.alias, rule.rule, *match.span())
                break
        # Ambiguous aliases last: their context may be another brand named without ambiguity.
        anchored = set(found)
        for name, rule, span in ambiguous:
            if name in found:
                continue
            if self._has_context(name, text, span):
                found[name] = BrandMatch(name, rule.alias, rule.rule, *span)
            elif anchored - {name}:
                found[name] = BrandMatch(name, rule.alias, ALIAS_BRAND, *span)
        order = [brand.name for brand, _ in self._brands]
        return sorted(found.values(), key=lambda m: order.index(m.brand))

    def mask(self, text: str) -> str:
        """`text` with every alias blanked out, so brand names do not sway language detection."""
        text = _fold(text)
        for _, rules in self._brands:
            for rule in rules:
                text = rule.pattern.sub(lambda m: " " * len(m.group()), text)
        return text

    def spans(self, text: str, brand: str) -> list[tuple[int, int]]:
        """Every occurrence of any alias of `brand` (for per-brand sentiment), excluded ones left
        out."""
        text = _fold(text)
        for spec, rules in self._brands:
            if spec.name == brand:
                excluded = [m.span() for p in self._exclusions[brand] for m in p.finditer(text)]
                found = {
                    m.span()
                    for r in rules
                    for m in r.pattern.finditer(text)
                    if not _inside(m.span(), excluded)
                }
                # One span per occurrence: "Nuage" inside "Nuage Télécom" is the same mention.
                return sorted(s for s in found if not _inside(s, [o for o in found if o != s]))
        return []

    def _has_context(self, brand: str, text: str, alias_span: tuple[int, int]) -> bool:
        for pattern in self._context[brand]:
            for m in pattern.finditer(text):
                if m.end() <= alias_span[0] or m.start() >= alias_span[1]:
                    return True
        return False


def _inside(span: tuple[int, int], excluded: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in excluded)
