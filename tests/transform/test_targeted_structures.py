"""Sentence structures that give two brands of one post different labels, through the real
matcher, rules and shipped linear model (sentences written for these tests, not in the gold set)."""

from __future__ import annotations

import pytest

from core.config import Brand
from tests.transform.per_brand import labels
from transform.backends import load_backend
from transform.enrich import Enricher

BRANDS = ["Nuage", "Fibrea", "Célest", "Zest", "Monzo", "Barclays", "Lidl", "Aldi"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A reason opens its own clause: the brand after `because` is not where one moved.
        (
            "Switching to Monzo next month because Barclays charged me twice.",
            "en",
            {"Monzo": "positive", "Barclays": "negative"},
        ),
        (
            "Je passe chez Zest parce que Nuage bride ma connexion le soir.",
            "fr",
            {"Zest": "positive", "Nuage": "negative"},
        ),
        # `at least B …` sets B above the one just blamed.
        (
            "Aldi delivery was a disaster again. At least Lidl tells you when a delivery is late.",
            "en",
            {"Aldi": "negative", "Lidl": "positive"},
        ),
        # A ranking verb: `A beat B`, `A devance B`.
        (
            "Monzo beat Barclays in the app rankings.",
            "en",
            {"Monzo": "positive", "Barclays": "negative"},
        ),
        (
            "Fibrea devance Célest au classement des débits.",
            "fr",
            {"Fibrea": "positive", "Célest": "negative"},
        ),
        # A multiplier makes `as … as` a comparative.
        (
            "Lidl is three times as cheap as Aldi on fruit.",
            "en",
            {"Lidl": "positive", "Aldi": "negative"},
        ),
        # `even`: the second brand shares the first one's fault.
        (
            "Barclays fees are even worse than Monzo's, a joke.",
            "en",
            {"Barclays": "negative", "Monzo": "negative"},
        ),
        # `lower` praises a price and blames anything else.
        (
            "Zest prices are lower than Nuage's this year.",
            "en",
            {"Zest": "positive", "Nuage": "negative"},
        ),
        (
            "Les tarifs de Célest sont plus bas que ceux de Fibrea.",
            "fr",
            {"Célest": "positive", "Fibrea": "negative"},
        ),
        # A negation before a comparative turns it round.
        (
            "Zest is no longer cheaper than Célest.",
            "en",
            {"Zest": "negative", "Célest": "positive"},
        ),
        # `ahead of` / `devant` rank like a comparative.
        (
            "Fibrea is way ahead of Célest on rural coverage.",
            "en",
            {"Fibrea": "positive", "Célest": "negative"},
        ),
        # The one ported away from is left; a brand named after it, said nothing of, is where one
        # went (its foil).
        (
            "Ported my number away from Nuage last week. Zest activated it within the hour.",
            "en",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        # Farewell and greeting name the one left and the one joined.
        ("Goodbye Barclays, hello Monzo!", "en", {"Barclays": "negative", "Monzo": "positive"}),
        ("Adieu Nuage, bonjour Zest", "fr", {"Nuage": "negative", "Zest": "positive"}),
    ],
)
def test_structures(enricher: Enricher, text: str, lang: str, expected: dict[str, str]) -> None:
    assert labels(enricher, text, lang) == expected


def test_a_question_is_no_foil() -> None:
    """A brand asked about beside one blamed is not praised by contrast."""
    enricher = Enricher(
        [Brand(name=n) for n in BRANDS], backend=load_backend("linear"), with_entities=False
    )
    found = labels(
        enricher, "Nuage has been down all night again. Fibrea people, is yours working?", "en"
    )
    assert found == {"Nuage": "negative", "Fibrea": "neutral"}


def test_unlike_reaches_the_statement_in_its_own_clause_not_a_description() -> None:
    enricher = Enricher(
        [Brand(name=n) for n in BRANDS], backend=load_backend("linear"), with_entities=False
    )
    # `compared to B <statement>`: B is set against the statement; the marker is B's, not A's.
    found = labels(enricher, "Compared to Aldi the Lidl bakery is excellent.", "en")
    assert found == {"Aldi": "negative", "Lidl": "positive"}
    # `unlike B which …` describes B itself.
    found = labels(enricher, "Lidl is fine, unlike Aldi which sold me rotten eggs twice.", "en")
    assert found == {"Lidl": "positive", "Aldi": "negative"}
