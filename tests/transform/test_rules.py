"""Pure functions: language, brand rules, sentiment rules."""

from __future__ import annotations

import pytest

from core.config import Alias, Brand
from transform import language, sentiment
from transform.brands import BrandMatcher

NUAGE = Brand(
    name="Nuage",
    aliases=[
        Alias(text="Nuage Télécom"),
        Alias(text="@nuage_telecom"),
        Alias(text="#NuageTelecom"),
        Alias(text="Nuage", needs_context=True),
    ],
    context=["fibre", "box", "network"],
    exclusions=["nuage de fumée"],
)
ZEST = Brand(
    name="Zest",
    competitor=True,
    aliases=[
        Alias(text="Zest", case_sensitive=True, needs_context=True),
        Alias(text="Zest Mobile"),
    ],
    context=["forfait", "network"],
    exclusions=["lemon zest"],
)


def rules(text: str, brands: list[Brand] | None = None) -> list[tuple[str, str, str]]:
    return [(m.brand, m.alias, m.rule) for m in BrandMatcher(brands or [NUAGE, ZEST]).find(text)]


def test_language_is_deterministic_and_undetermined_when_short_or_mixed() -> None:
    text = "Le réseau est en panne depuis trois jours, le service client ne répond pas"
    assert language.detect(text) == language.detect(text)
    assert language.detect(text)[0] == "fr"
    assert language.detect("The network has been down for three days and nobody answers")[0] == "en"
    assert language.detect("ok lol")[0] == "und"
    assert language.detect("super service, merci")[0] == "und"
    assert language.detect("El servicio es muy malo hoy, no funciona nada")[0] == "es"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nuage Télécom est en panne", [("Nuage", "Nuage Télécom", "alias")]),
        ("merci @nuage_telecom", [("Nuage", "@nuage_telecom", "handle")]),
        ("#NuageTelecom au top", [("Nuage", "#NuageTelecom", "hashtag")]),
        ("ma fibre Nuage rame", [("Nuage", "Nuage", "alias+context")]),
        ("un joli nuage dans le ciel", []),
        ("un nuage de fumée sur la box", []),
        ("NuageTélécoms", []),
        ("lemon zest cake", []),
        ("zest is down, no network", []),  # case-sensitive alias
        ("Zest network is down", [("Zest", "Zest", "alias+context")]),
        (
            "J'ai quitté Zest pour Nuage Télécom",
            [("Nuage", "Nuage Télécom", "alias"), ("Zest", "Zest", "alias+brand")],
        ),
        ("Zest et Nuage, quel choix ?", []),  # two ambiguous names vouch for nobody
        ("lemon zest, like Fibrea's logo", []),  # an exclusion still wins
    ],
)
def test_brand_rules(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert rules(text) == expected


def test_odd_brand_names_are_safe() -> None:
    odd = [Brand(name="C++"), Brand(name="AT&T"), Brand(name="X"), Brand(name="🍎 Store")]
    assert rules("I write C++ and pay AT&T", odd) == [
        ("C++", "C++", "alias"),
        ("AT&T", "AT&T", "alias"),
    ]
    assert rules("Xbox and C+ and ATT", odd) == []
    assert rules("X is down", odd) == [("X", "X", "alias")]
    assert rules("the 🍎 Store", odd) == [("🍎 Store", "🍎 Store", "alias")]


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("This is good", "en", "positive"),
        ("This is not good, it is awful", "en", "negative"),
        ("not bad at all", "en", "positive"),
        ("sooooo goooood", "en", "positive"),
        ("Thanks for the 3 day outage", "en", "negative"),
        ("#fail again", "en", "negative"),
        ("I love it :)", "en", "positive"),
        ("worst service 😡", "en", "negative"),
        ("C'est nul", "fr", "negative"),
        ("Ce n'est pas bon", "fr", "negative"),
        ("pas mal du tout", "fr", "positive"),
        ("Merci pour la panne de 3 jours", "fr", "negative"),
        ("Remboursé en 48h, au top 👍", "fr", "positive"),
        ("C'est inadmissible", "fr", "negative"),
        ("Réunion lundi à 10h", "fr", "neutral"),
    ],
)
def test_sentiment_rules(text: str, lang: str, label: str) -> None:
    result = sentiment.score_text(text, lang)
    assert result.label == label
    assert -1.0 <= result.score <= 1.0


def test_intensifier_and_contrast() -> None:
    assert sentiment.score_text("very good", "en").score > sentiment.score_text("good", "en").score
    assert sentiment.score_text("good but terrible support", "en").label == "negative"


def test_textblob_fr_lexicon_bug_is_clamped() -> None:
    # textblob-fr gives `plein` a subjectivity of 35; polarities we use stay within [-1, 1].
    assert all(-1 <= v <= 1 for v in sentiment.word_lexicon("fr").values())


def test_negation_flips_the_score() -> None:
    assert (
        sentiment.score_text("not good", "en").score < 0 < sentiment.score_text("good", "en").score
    )


def test_spans_list_every_occurrence_of_a_brand_but_excluded_ones() -> None:
    text = "Nuage Télécom a planté, un nuage de fumée sur la box ; @nuage_telecom répond vite"
    spans = BrandMatcher([NUAGE, ZEST]).spans(text, "Nuage")
    assert [text[a:b] for a, b in spans] == ["Nuage Télécom", "@nuage_telecom"]
    assert BrandMatcher([NUAGE, ZEST]).spans(text, "Zest") == []
