"""Round ten of issue 11's per-brand rules: how often a thing fails (a failure that comes back is a
complaint, a rare one praise, two brands' frequencies set against each other) and a time promised
then beaten or missed (`said five days, came in three`). Sentences written for these tests, not in
the gold set."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels, spans_of
from transform import sentiment
from transform.enrich import Enricher
from transform.targeted.events import service_events
from transform.targeted.facts import QUICKER_VALENCE, SLOWER_VALENCE, relative_lengths
from transform.targeted.frequencies import (
    FREQUENT_VALENCE,
    RARE_VALENCE,
    frequencies,
    frequency_events,
)
from transform.targeted.promises import BROKEN_VALENCE, KEPT_VALENCE, promise_events

BRANDS = ["Orange", "SFR", "Verizon", "Sprint", "Monzo", "Barclays", "Fnac", "Darty"]
BRANDS += ["Kettler", "Brabantia", "Hermes", "Yodel", "Colissimo", "Chronopost"]
NEG, POS, NEU = "negative", "positive", "neutral"


def by_word(text: str, lang: str, brands: tuple[str, ...], rule: str) -> dict[str, float]:
    """The non-zero valences a round-ten rule gives, keyed by the token's text."""
    analysis = sentiment.analyse(text, lang)
    spans = spans_of(text, brands)
    if rule == "frequencies":
        found = frequency_events(text, analysis, spans, service_events(analysis))
    else:
        found = promise_events(text, analysis, spans)
    return {analysis.tokens[i].text: v for i, v in found.items() if v}


@pytest.mark.parametrize(
    ("text", "per_hour", "habit"),
    [
        ("it drops every other day", 1 / 48, True),
        ("a new belt every couple of weeks", 1 / 336, True),
        ("crashes twice a week", 2 / 168, True),
        ("ça plante une fois par an", 1 / 8760, True),
        ("toutes les semaines", 1 / 168, True),
        ("third repair in two years", 3 / 17520, False),
        ("une seule panne en trois ans", 1 / 26280, False),
        ("four outages this month", 4 / 720, False),
    ],
)
def test_frequencies_are_read_per_hour(text: str, per_hour: float, habit: bool) -> None:
    [found] = frequencies(text)
    assert found.per_hour == pytest.approx(per_hour)
    assert found.habit is habit


@pytest.mark.parametrize(
    "text",
    [
        "a refund in three days",  # one thing over a short period is a length
        "une réponse en deux mois",
        "two replies in ten minutes",
        "every single visit",  # no period
        "la Clio n'a jamais bougé en dix ans",  # (`n'a` holds no count)
    ],
)
def test_lengths_and_counts_without_a_period_are_no_frequencies(text: str) -> None:
    assert frequencies(text) == []


@pytest.mark.parametrize(
    ("text", "lang", "brands", "expected"),
    [
        # a failure that comes back, alone
        ("My Kettler belt snaps every few weeks.", "en", ("Kettler",), {"every": -1}),
        ("La box SFR coupe tous les soirs.", "fr", ("SFR",), {"tous": -1}),
        # a rare one, the failure's own word zeroed
        ("Une seule coupure en deux ans chez Orange.", "fr", ("Orange",), {"une": 1}),
        ("Orange box: it crashes once a year, at most.", "en", ("Orange",), {"once": 1}),
        # use, not failure: nothing
        ("I ride the Kettler every day.", "en", ("Kettler",), {}),
        # a count in business news names no failure
        (
            "Colissimo said it would open 40 new depots this year; Chronopost declined to comment.",
            "en",
            ("Colissimo", "Chronopost"),
            {},
        ),
    ],
)
def test_a_failure_that_comes_back_is_a_complaint_and_a_rare_one_praise(
    text: str, lang: str, brands: tuple[str, ...], expected: dict[str, int]
) -> None:
    found = by_word(text, lang, brands, "frequencies")
    signs = {w: (1 if v > 0 else -1) for w, v in found.items()}
    assert signs == expected
    assert set(found.values()) <= {FREQUENT_VALENCE, RARE_VALENCE}


def test_two_brands_frequencies_are_set_against_each_other() -> None:
    text = "Sprint drops my signal twice a day; with Verizon it happens once a month."
    found = by_word(text, "en", ("Sprint", "Verizon"), "frequencies")
    assert found == {"twice": FREQUENT_VALENCE, "once": RARE_VALENCE}


def test_the_period_of_a_frequency_is_no_length() -> None:
    text = "Kettler: eleven years, one service. Brabantia: fourth repair in three years."
    analysis = sentiment.analyse(text, "en")
    spans = spans_of(text, ("Kettler", "Brabantia"))
    assert relative_lengths(text, analysis, spans)  # before: two lengths compared
    counted = [(f.start, f.end) for f in frequencies(text)]
    assert relative_lengths(text, analysis, spans, ignore=counted) == {}


@pytest.mark.parametrize(
    ("text", "lang", "longer", "shorter"),
    [
        (
            "My Kettler bike lasted eight months; the Brabantia one has done three years.",
            "en",
            "Brabantia",
            "Kettler",
        ),
        (
            "Le grille-pain Darty a lâché au bout de six mois ; celui de la Fnac chauffe depuis "
            "quatre ans.",
            "fr",
            "Fnac",
            "Darty",
        ),
    ],
)
def test_a_pro_form_shares_the_other_brand_s_kind_of_length(
    text: str, lang: str, longer: str, shorter: str
) -> None:
    analysis = sentiment.analyse(text, lang)
    found = relative_lengths(text, analysis, spans_of(text, (longer, shorter)))
    after = text.index(longer)  # (named second in both)
    by_brand = {
        (longer if analysis.tokens[i].start > after else shorter): v for i, v in found.items()
    }
    assert by_brand == {longer: QUICKER_VALENCE, shorter: SLOWER_VALENCE}


def test_a_length_with_no_pro_form_keeps_its_kind() -> None:
    text = "My Kettler bike lasted eight months; Brabantia answered my email in three days."
    analysis = sentiment.analyse(text, "en")
    assert relative_lengths(text, analysis, spans_of(text, ("Kettler", "Brabantia"))) == {}


@pytest.mark.parametrize(
    ("text", "lang", "brands", "expected"),
    [
        ("Hermes said Thursday and it came on Tuesday.", "en", ("Hermes",), {"tuesday": 1}),
        (
            "Yodel said Thursday, it came the following Monday.",
            "en",
            ("Yodel",),
            {"following": -1},
        ),
        ("Monzo quoted ten days and it took three.", "en", ("Monzo",), {"three": 1}),
        ("Barclays said 5 working days, it's been 12.", "en", ("Barclays",), {"been": -1}),
        ("Darty avait promis une semaine, livré le lendemain.", "fr", ("Darty",), {"le": 1}),
        ("La Fnac annonçait jeudi, reçu le lundi suivant.", "fr", ("Fnac",), {"lundi": -1}),
        ("Orange m'avait dit un mois et ça en a pris trois.", "fr", ("Orange",), {"trois": -1}),
        # within the margin, of different kinds, or another brand's time: nothing
        ("Hermes said 10 days and it came in 11.", "en", ("Hermes",), {}),
        ("Yodel said Friday, it came in two days.", "en", ("Yodel",), {}),
        ("Hermes said Friday. Yodel came Monday.", "en", ("Hermes", "Yodel"), {}),
    ],
)
def test_a_time_promised_then_beaten_or_missed(
    text: str, lang: str, brands: tuple[str, ...], expected: dict[str, int]
) -> None:
    found = by_word(text, lang, brands, "promises")
    assert {w: (1 if v > 0 else -1) for w, v in found.items()} == expected
    assert set(found.values()) <= {KEPT_VALENCE, BROKEN_VALENCE}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Sprint drops my signal twice a day; with Verizon it happens maybe once a month.",
            "en",
            {"Sprint": NEG, "Verizon": POS},
        ),
        (
            "Une panne tous les quinze jours chez SFR, chez Orange une seule en deux ans.",
            "fr",
            {"SFR": NEG, "Orange": POS},
        ),
        (
            "Hermes said Thursday and it came on Tuesday. Yodel said Thursday too, it came the "
            "following Monday.",
            "en",
            {"Hermes": POS, "Yodel": NEG},
        ),
        (
            "Darty m'avait promis dix jours, livré en quatre. La Fnac annonçait une semaine et ça "
            "en a pris trois.",
            "fr",
            {"Darty": POS, "Fnac": NEG},
        ),
    ],
)
def test_frequencies_and_promises_decide_each_brand(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected
