"""Structures added in round three of per-brand sentiment, each written for these tests (not in
the gold set), through the real matcher, rules and shipped linear model."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels
from transform import sentiment
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges
from transform.targeted.prices import (
    PRICE_FALL_VALENCE,
    PRICE_RISE_VALENCE,
    QUALITY_FALL_VALENCE,
    STOCK_RISE_VALENCE,
    price_moves,
)

BRANDS = ["Nuage", "Fibrea", "Célest", "Zest", "Monzo", "Barclays", "Lidl", "Aldi", "Booking.com"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A complaint denied is praise, whatever the model makes of its words.
        (
            "Used Zest and Fibrea for two years, no complaints about either.",
            "en",
            {"Zest": "positive", "Fibrea": "positive"},
        ),
        (
            "Aucun problème avec Zest depuis deux ans, Nuage m'a coupé trois fois.",
            "fr",
            {"Zest": "positive", "Nuage": "negative"},
        ),
        # A negation before a comma belongs to another statement than the comparative after it.
        (
            "Zest isn't as bad as people claim, honestly better than Fibrea.",
            "en",
            {"Zest": "positive", "Fibrea": "negative"},
        ),
        # The comparison goes on after `but` / `mais`, and that side weighs more.
        (
            "Fibrea is a bit pricier than Célest but far more reliable.",
            "en",
            {"Fibrea": "positive", "Célest": "negative"},
        ),
        (
            "Nuage est un peu plus cher que Zest mais bien plus fiable.",
            "fr",
            {"Nuage": "positive", "Zest": "negative"},
        ),
        # An amount of money makes `less` / `de moins` a cheaper price.
        (
            "Lidl sells the same kettle for 15 quid less than Aldi.",
            "en",
            {"Lidl": "positive", "Aldi": "negative"},
        ),
        (
            "Chez Lidl le même grille-pain coûte 20 € de moins que chez Aldi.",
            "fr",
            {"Lidl": "positive", "Aldi": "negative"},
        ),
        # An English `-er` comparative carries its base word's valence.
        (
            "Opening an account with Monzo was way easier than with Barclays.",
            "en",
            {"Monzo": "positive", "Barclays": "negative"},
        ),
        # Prices that rise are blamed, even when the model reads `augmentent` as good news.
        (
            "Zest et Célest augmentent encore leurs tarifs en janvier.",
            "fr",
            {"Zest": "negative", "Célest": "negative"},
        ),
        # `celle de A` is A's one, not where one came from after a leave verb.
        (
            "Ma box Fibrea a lâché au bout d'un mois ; celle de Célest marche depuis cinq ans.",
            "fr",
            {"Fibrea": "negative", "Célest": "positive"},
        ),
        # A bare amount before `less` is a price too.
        (
            "Lidl had the same kettle for 15 less than Aldi.",
            "en",
            {"Lidl": "positive", "Aldi": "negative"},
        ),
        # A question asks whether something is good; it does not say so.
        (
            "Fibrea or Zest for a student flat, which one is better value?",
            "en",
            {"Fibrea": "neutral", "Zest": "neutral"},
        ),
        (
            "Nuage ou Zest pour un étudiant, lequel est le plus avantageux ?",
            "fr",
            {"Nuage": "neutral", "Zest": "neutral"},
        ),
        # `Love how A …`, `J'adore quand A …`: what A is loved for is no praise, so it is sarcasm.
        (
            "Love how Nuage bills me for a router I sent back. Zest refunded mine the same day.",
            "en",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        (
            "J'adore quand Nuage me coupe la ligne en plein match. Chez Zest aucune coupure.",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        # The one left keeps the praise of clauses of its own.
        (
            "I was with Fibrea for ten years and it was always great, only left for Zest because "
            "I moved abroad.",
            "en",
            {"Fibrea": "positive", "Zest": "positive"},
        ),
        # Bare brand clauses share what follows only when adjacent: a question to the second
        # brand is not the first one's.
        (
            'Seriously Zest, "maintenance" for the third night running. Nuage people, is yours '
            "fine?",
            "en",
            {"Zest": "negative", "Nuage": "neutral"},
        ),
        # News whose only valence words are weak describes, it does not judge.
        (
            "Fibrea and Célest confirmed they are in talks over a possible merger, according to "
            "Reuters.",
            "en",
            {"Fibrea": "neutral", "Célest": "neutral"},
        ),
        (
            "Zest annonce le rachat d'une partie du réseau de Nuage, selon Le Monde.",
            "fr",
            {"Zest": "neutral", "Nuage": "neutral"},
        ),
        # The blank between `, ` and `but` is no clause: the side after `but` stays the brand's.
        (
            "I wanted to like Zest, honestly, but the outages ruined it. Back on Nuage now and "
            "it's stable.",
            "en",
            {"Zest": "negative", "Nuage": "positive"},
        ),
    ],
)
def test_structures(enricher: Enricher, text: str, lang: str, expected: dict[str, str]) -> None:
    assert labels(enricher, text, lang) == expected


def test_no_clause_cut_inside_a_brand_name() -> None:
    text = "Booked through Booking.com and Zest, both were excellent."
    spans = [(15, 26), (31, 35)]
    cuts = [a for a, _ in clause_ranges(text, "en", [s for s, _ in spans], spans)]
    assert 23 not in cuts  # the `.` of `Booking.com`
    assert 36 in cuts  # after the comma


def test_no_blank_clause_between_a_comma_and_but() -> None:
    text = "A, b, but c."
    assert [text[a:b] for a, b in clause_ranges(text, "en")] == ["A,", " b,", " but c."]


def test_price_moves_take_the_customers_view() -> None:
    moves = price_moves(sentiment.analyse("Prices went up and the bill too.", "en"))
    assert list(moves.values()) == [PRICE_RISE_VALENCE]
    moves = price_moves(sentiment.analyse("Zest cut its prices in May.", "en"))
    assert list(moves.values()) == [PRICE_FALL_VALENCE]
    found = price_moves(sentiment.analyse("Des prix qui montent et un service qui baisse.", "fr"))
    assert sorted(found.values()) == [PRICE_RISE_VALENCE, QUALITY_FALL_VALENCE]
    # A revenue rising is no price move: it is good news for the brand, as a share price rising
    # is (round eight).
    moves = price_moves(sentiment.analyse("Zest revenue up 4% this quarter.", "en"))
    assert list(moves.values()) == [STOCK_RISE_VALENCE]
