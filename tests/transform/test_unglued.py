"""`transform.unglued`, and the brand rules searched with it: the same spans as their pattern."""

from __future__ import annotations

import random

from core.config import Alias, Brand, load_config
from tests.transform.test_brand_first_words import ODD, TEXTS
from transform.brands import BrandMatcher
from transform.caseless import ignorecase_lowered
from transform.unglued import Unglued

BODIES = (r"aa(?!\w)", r"a\s+a(?!\w)", r"#aa(?![\w])", r"a", r"@a_a(?!\w)", r"éa(?!\w)")


def test_spans_are_the_lookbehind_patterns_matches() -> None:
    rng = random.Random(14)
    alphabet = "aaaA  @#x_é\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    texts += ["aaaa", "xaaa aa", "@aa #aa a_a @a_a", "a  a\ta"]
    for before in (r"[\w@#]", r"[\w@]", r"\w"):
        for body in BODIES:
            unglued = Unglued(before, body)
            for text in texts:
                expected = [m.span() for m in unglued.pattern.finditer(text)]
                assert list(unglued.spans(text)) == expected, (before, body, text)


def test_brand_rules_find_what_their_pattern_finds() -> None:
    brands = [
        *ODD,
        *load_config(None).brands,
        Brand(name="Aa", aliases=[Alias(text="aa"), Alias(text="A A")]),
    ]
    matcher = BrandMatcher(brands)
    rules = [r for _, found in matcher._brands for r in found]
    rules += [r for found in matcher._exclusions.values() for r in found]
    assert any(r.on_lowered for r in rules) and any(not r.on_lowered for r in rules)
    texts = [
        *TEXTS,
        "Nuage Télécom NUAGE   télécom #NuageTelecom @Nuage_Telecom, xNuage Nuage_ Fibréa FIBRÉA",
        "aaa aa AA a  A, AAaa @aa #aa Célest MOBILE celest mobile, ZEST Zest zest of, Zeste",
        "ſuperb Nuage télécom, aa",  # (a character the lowered text cannot hold: the pattern)
    ]
    for text in texts:
        lowered = ignorecase_lowered(text)
        for rule in rules:
            expected = [m.span() for m in rule.pattern.finditer(text)]
            assert list(rule.spans(text, lowered)) == expected, (rule.alias, text)
