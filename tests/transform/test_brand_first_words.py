"""The one-scan filter of brand matching: it only skips patterns that cannot match."""

from __future__ import annotations

import re

from core.config import Alias, Brand
from transform.brands import BrandMatcher, FirstWords, first_word

ODD = [
    Brand(name="C++", aliases=[Alias(text="C++")]),
    Brand(name="AT&T", aliases=[Alias(text="AT&T"), Alias(text="@ATT")]),
    Brand(name="(RED)", aliases=[Alias(text="(RED)")]),
    Brand(
        name="Straße", aliases=[Alias(text="Straße Mobile")]
    ),  # `ß`, and `ſ` (long s) folds to `s`
    Brand(name="Kelvin", aliases=[Alias(text="Kelvin")]),  # `K` (Kelvin sign) folds to `k`
    Brand(name="Istanbul", aliases=[Alias(text="İstanbul Telekom")]),
    Brand(
        name="Nuage",
        aliases=[Alias(text="Nuage Télécom"), Alias(text="#NuageBox")],
        exclusions=["nuage de lait"],
    ),
    Brand(name="Zest", aliases=[Alias(text="Zest", case_sensitive=True)]),
    Brand(name="Emoji", aliases=[Alias(text="🍊")]),
]
TEXTS = [
    "I code in C++ and c++, not C+ or C#",
    "AT&T and at&t and @att and @ATT_support",
    "(RED) edition, or (red)",
    "STRASSE MOBILE, straſse mobile, Straße   Mobile",
    "\u212aelvin is the Kelvin sign",
    "İSTANBUL telekom, istanbul Telekom, ıstanbul telekom",
    "Nuage  TÉLÉCOM #nuagebox #NuageBoxes un nuage de lait, Nuage de Lait",
    "zest ZEST Zest, lemon zest",
    "🍊🍊 orange",
    "",
]


def test_first_word_is_the_first_run_of_word_characters() -> None:
    assert first_word("#NuageTelecom") == "NuageTelecom"
    assert first_word("AT&T") == "AT"
    assert first_word("(RED)") == "RED"
    assert first_word("🍊") is None


def test_the_filter_keeps_every_key_a_case_insensitive_regex_would_match() -> None:
    words = FirstWords(["ſtraße", "Kelvin", "AT", "istanbul"])
    assert {"ſtraße"} <= words.present("STRASSE ſTRAßE")
    assert "Kelvin" in words.present("\u212aelvin")
    assert "istanbul" in words.present("ıstanbul")  # the regex engine equates `ı` and `i`
    assert words.present("ATT AT&T") == {"AT"}
    # Two keys the engine holds equal: whichever the scan meets first, both are present.
    assert FirstWords(["ſtrasse", "strasse"]).present("STRASSE") == {"ſtrasse", "strasse"}


def test_matching_with_the_filter_equals_every_pattern_tried() -> None:
    matcher = BrandMatcher(ODD)
    plain = BrandMatcher(ODD)
    plain._words = _NoFilter()
    for text in TEXTS:
        assert matcher.find(text) == plain.find(text), text
        assert matcher.mask(text) == plain.mask(text), text
        for brand in ODD:
            assert matcher.spans(text, brand.name) == plain.spans(text, brand.name), text
    assert [m.brand for m in matcher.find(TEXTS[0])] == ["C++"]
    assert matcher.find("un nuage de lait, Nuage Télécom")[0].start == 18


class _NoFilter(FirstWords):
    """Every pattern tried, as before the filter: every key present in every text."""

    def __init__(self) -> None:
        super().__init__([])
        self.present = lambda text: _Everything()  # type: ignore[assignment]


class _Everything(frozenset[str]):
    def __contains__(self, key: object) -> bool:
        return True


def test_a_case_sensitive_alias_still_needs_its_case() -> None:
    matcher = BrandMatcher(ODD)
    assert [m.brand for m in matcher.find("lemon zest")] == []
    assert re.search("Zest", matcher.mask("Zest zest")) is None


def test_the_lowered_look_up_finds_what_the_scan_finds() -> None:
    plain = FirstWords(["Nuage", "nuage", "Télécom", "ZEST", "celest_mobile", "Fibréa"])
    assert plain._by_lower is not None
    texts = [
        *TEXTS,
        "NUAGE télécom, Zest zest ZEST; @celest_mobile Fibréa FIBRÉA fibrea",
        "Nuages, nuage_box, xnuage, nuage2 nuage",
        "xnuage nuagenuage, télécoms zest_ nuage",  # (keys inside words only, then whole)
        "ZESTzest",
        "ſuperb Nuage",  # (a character the look-up cannot lower: the scan)
    ]
    for text in texts:
        assert plain._present(text) == plain._scanned(text), text
    odd = FirstWords(first_word(a.text) or "" for b in ODD for a in b.all_aliases)
    assert odd._by_lower is None  # (`İstanbul` lowers to two characters)
