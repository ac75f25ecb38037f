"""`transform.caseless`: a pattern written in lower case with `SAFE` literals, run
case-sensitively on the lowered text, finds what it finds case-insensitively in the text (each
`SAFE` character checked against every Unicode character)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from transform.caseless import _FOLDED_APART, SAFE, Caseless, ignorecase_lowered
from transform.targeted import clauses, facts, frequencies, promises

EVERY_CHARACTER = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)


def _caseless() -> Iterator[Caseless]:
    for module in (facts, frequencies, promises):
        for value in vars(module).values():
            found = value.values() if isinstance(value, dict) else [value]
            yield from (v for v in found if isinstance(v, Caseless))


def test_the_rules_have_caseless_patterns() -> None:
    assert len(list(_caseless())) >= 8


def test_each_safe_character_matches_case_insensitively_what_lowers_to_it() -> None:
    lowers_to: dict[str, set[str]] = {}
    for c in EVERY_CHARACTER:
        lowers_to.setdefault(c.lower(), set()).add(c)
    for x in sorted(SAFE):
        found = set(re.findall(re.escape(x), EVERY_CHARACTER, re.IGNORECASE))
        assert found - set(_FOLDED_APART) == lowers_to[x] - set(_FOLDED_APART), x


def test_the_caseless_patterns_are_written_in_safe_lower_case() -> None:
    for p in _caseless():
        letters = {c for c in re.sub(r"\(\?P<\w+>", "", p.lower_case.pattern) if c.isalpha()}
        assert letters <= SAFE, letters - SAFE


def test_lowering_keeps_every_class_and_length() -> None:
    kept = [c for c in EVERY_CHARACTER if c not in _FOLDED_APART]
    lowered = [c.lower() for c in kept]
    assert all(len(c) == 1 for c in lowered)
    for klass in (r"\w", r"\s", r"\d", r"[\w£$€]", r"[.,:]"):
        pattern = re.compile(klass)
        assert [bool(pattern.match(c)) for c in kept] == [bool(pattern.match(c)) for c in lowered]


def test_a_text_with_a_character_folded_apart_is_searched_as_it_is() -> None:
    assert ignorecase_lowered("Overnight") == "overnight"
    for odd in _FOLDED_APART:
        assert ignorecase_lowered(f"overn{odd}ght") is None
    every = Caseless(r"\bevery\s+(?P<u>days?)\b")
    for text in ("EVERY Day, every second Days", "EVERY Day, every ſecond Days"):
        found = every.finditer(text, ignorecase_lowered(text))
        assert [(m.span(), m.group("u").lower()) for m in found] == [((0, 9), "day")]


def test_contrast_words_are_found_as_word_by_word() -> None:
    text = "Good, BUT slow; buts and ſauf, Mais non, SAUF ça"
    for lang in ("en", "fr"):
        contrast = clauses.lexicon.CONTRAST[lang]
        expected = [m.start() for m in re.finditer(r"\w+", text) if m.group().lower() in contrast]
        assert clauses._contrast_words(text, lang) == expected
