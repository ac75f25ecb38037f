"""Round five of issue 11's per-brand rules: general structures seen missed on unseen batches
(`neither A nor B`, `I miss A`, prices compared by amount, why-questions, a limit on praise, a
brand only considered, a price word before the brand and its verb, events with no sentiment
word). Sentences written for these tests, not in the gold set."""

from __future__ import annotations

import pytest

from core.config import Brand
from tests.transform.per_brand import labels, spans_of
from transform import sentiment
from transform.backends import load_backend
from transform.enrich import Enricher
from transform.targeted.clauses import _why_pivots
from transform.targeted.comparatives import amount_ranking, inversions, neither_brands
from transform.targeted.events import COERCION_VALENCE, service_events
from transform.targeted.hedges import limiters
from transform.targeted.prices import (
    PRICE_RISE_VALENCE,
    STOCK_FALL_VALENCE,
    STOCK_RISE_VALENCE,
    price_moves,
)
from transform.targeted.switches import missed_brands
from transform.targeted.text import ROLE_SCORE

BRANDS = ["Orange", "SFR", "Free", "Bouygues", "Verizon", "AT&T"]


NEG, POS, NEU = "negative", "positive", "neutral"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # neither … nor / ni … ni: one statement denied of both
        ("Ni Orange ni SFR ne sont venus réparer ma ligne.", "fr", {"Orange": NEG, "SFR": NEG}),
        (
            "Neither Verizon nor AT&T has reliable coverage out here.",
            "en",
            {"Verizon": NEG, "AT&T": NEG},
        ),
        # the one missed is praised, and a switch away from it regretted
        (
            "Orange me manque tellement, depuis que je suis chez SFR c'est la galère.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
        (
            "Quitté Bouygues pour SFR l'an dernier, Bouygues me manque.",
            "fr",
            {"Bouygues": POS, "SFR": NEG},
        ),
        # prices compared by amount
        (
            "I pay €50 at SFR for what Bouygues gives me for €25.",
            "en",
            {"SFR": NEG, "Bouygues": POS},
        ),
        (
            "60€ chez Orange pour ce que Free propose à 30€, sérieux ?",
            "fr",
            {"Orange": NEG, "Free": POS},
        ),
        # a why-question asks of its subject; what follows `when` is given
        (
            "Why does SFR take two weeks to answer when Orange replies the same day?",
            "en",
            {"SFR": NEG, "Orange": POS},
        ),
        (
            "Pourquoi SFR met deux semaines à répondre alors qu'Orange répond le jour même ?",
            "fr",
            {"SFR": NEG, "Orange": POS},
        ),
        # a limit on praise: neutral
        ("Orange et SFR, c'est correct, sans plus.", "fr", {"Orange": NEU, "SFR": NEU}),
        # a brand only considered, or said to stay as it is, is no foil
        (
            "SFR m'a encore coupé la ligne. Je vais peut-être regarder chez Orange.",
            "fr",
            {"SFR": NEG, "Orange": NEU},
        ),
        (
            "Les tarifs mobiles de SFR augmenteront en mars, Orange ne change rien.",
            "fr",
            {"SFR": NEG, "Orange": NEU},
        ),
        # a price word, then the brand, then the verb
        (
            "Les prix de Bouygues ont encore augmenté ce mois-ci, Free reste pareil.",
            "fr",
            {"Bouygues": NEG, "Free": NEU},
        ),
        # events with no sentiment word
        (
            "Orange installed my fibre in a day, SFR had me waiting a month.",
            "en",
            {"Orange": POS, "SFR": NEG},
        ),
        (
            "Orange a installé ma fibre dans la journée, SFR m'a fait attendre un mois.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
        (
            "Orange sent a technician the next morning, SFR never showed up.",
            "en",
            {"Orange": POS, "SFR": NEG},
        ),
    ],
)
def test_round_five_structures(
    enricher: Enricher,
    text: str,
    lang: str,
    expected: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    _learned_reads_otherwise(enricher, text, request)
    assert labels(enricher, text, lang) == expected


def test_neither_denies_the_statement_of_both_and_a_denied_complaint_is_praise() -> None:
    text = "Neither Orange nor SFR ever let me down"
    found = neither_brands(sentiment.analyse(text, "en"), spans_of(text, ("Orange", "SFR")))
    assert found == {"Orange": ROLE_SCORE, "SFR": ROLE_SCORE}
    text = "Orange nor SFR answer"  # no `neither`: nothing
    assert not neither_brands(sentiment.analyse(text, "en"), spans_of(text, ("Orange", "SFR")))


@pytest.mark.parametrize(
    ("text", "lang", "missed"),
    [
        ("I really miss my old Orange plan, SFR is a joke", "en", {"Orange"}),
        ("Don't miss Orange one bit", "en", set()),
        ("The parcel went missing, Orange never answered", "en", set()),
        ("Orange nous manque", "fr", {"Orange"}),
        ("Je regrette Orange", "fr", {"Orange"}),
    ],
)
def test_missed_brands(text: str, lang: str, missed: set[str]) -> None:
    found = missed_brands(text, sentiment.analyse(text, lang), spans_of(text, ("Orange",)))
    assert found == missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£45 a month at Orange for what SFR gives me for £12", {"Orange": -0.6, "SFR": 0.6}),
        ("Orange costs 20 euros, SFR 35 euros", {"Orange": 0.6, "SFR": -0.6}),
        ("Orange and SFR both cost €20", {}),  # one amount
        ("Orange raised its price by €3, SFR by €1", {}),  # a price move: both blamed elsewhere
        ("Orange charged me €20. SFR refunded €5.", {}),  # one amount per sentence
    ],
)
def test_amount_ranking(text: str, expected: dict[str, float]) -> None:
    analysis = sentiment.analyse(text, "en")
    found = amount_ranking(text, analysis, spans_of(text, ("Orange", "SFR")))
    assert found == pytest.approx(expected)


def test_limiters_and_why_pivots() -> None:
    analysis = sentiment.analyse("Fine for basic use, nothing special", "en")
    assert {analysis.tokens[i].text for i in limiters(analysis)} == {"nothing", "special"}
    assert not limiters(sentiment.analyse("Nothing works", "en"))
    text = "Why is A so slow when B is fast? When B calls, I answer."
    assert _why_pivots(text, "en") == [text.index("when")]
    assert _why_pivots("Pourquoi A alors que B ?", "fr") == [11]


def test_a_price_word_reaches_its_verb_past_the_brand_but_not_a_verb_on_the_brand() -> None:
    text = "Les prix de Bouygues ont encore augmenté"
    analysis = sentiment.analyse(text, "fr")
    moves = price_moves(analysis, spans_of(text, ("Bouygues",))["Bouygues"])
    assert list(moves.values()) == [PRICE_RISE_VALENCE]
    text = "Les forfaits Bouygues Telecom Mobile augmentent"
    analysis = sentiment.analyse(text, "fr")
    assert not price_moves(analysis)  # the brand's words counted: too far
    name = spans_of(text, ("Bouygues Telecom Mobile",))["Bouygues Telecom Mobile"]
    assert list(price_moves(analysis, name).values()) == [PRICE_RISE_VALENCE]
    text = "Dropped Orange after the price rise"
    analysis = sentiment.analyse(text, "en")
    assert not price_moves(analysis, spans_of(text, ("Orange",))["Orange"])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a list shared by the next brand clause when that one speaks of them all
        (
            "Orange, SFR and Free all failed to connect my building this year.",
            "en",
            {"Orange": NEG, "SFR": NEG, "Free": NEG},
        ),
        (
            "Orange, SFR et Free ont tous échoué à raccorder mon immeuble.",
            "fr",
            {"Orange": NEG, "SFR": NEG, "Free": NEG},
        ),
        ("Orange comme SFR, aucun ne répond aux mails.", "fr", {"Orange": NEG, "SFR": NEG}),
        # a share price that falls; a brand that closed flat is no foil
        (
            "SFR shares fell 6% on Monday while Orange closed flat.",
            "en",
            {"SFR": NEG, "Orange": NEU},
        ),
        # a pronoun standing for B's is no distance in a ranking idiom
        (
            "Franchement le réseau d'Orange est à des années-lumière de celui de SFR.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
    ],
)
def test_round_five_lists_shares_and_rankings(
    enricher: Enricher,
    text: str,
    lang: str,
    expected: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    _learned_reads_otherwise(enricher, text, request)
    assert labels(enricher, text, lang) == expected


# A brand said to stay as it is beside another's price rise or fall: neutral for the rules, while
# the brand-window model (round eleven, trained on brand_train.jsonl, whose writers often label it
# praise) reads these three otherwise. A rule forcing such windows neutral was tried: it cost 5
# pairs of 5,319 in cross-validation and 3 French test pairs, so the data decide; strict, so a
# model that reads them neutral again shows here.
LEARNED_READS_OTHERWISE = {
    "Les tarifs mobiles de SFR augmenteront en mars, Orange ne change rien.",
    "Les prix de Bouygues ont encore augmenté ce mois-ci, Free reste pareil.",
    "SFR shares fell 6% on Monday while Orange closed flat.",
}


def _learned_reads_otherwise(enricher: Enricher, text: str, request: pytest.FixtureRequest) -> None:
    if enricher.backend.name == "linear" and text in LEARNED_READS_OTHERWISE:
        reason = "the brand-window model does not read a status quo as neutral"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def events(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    found = service_events(analysis).items()
    return {analysis.tokens[i].text: v for i, v in found if v}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("They made me call four times", "en", {"made": COERCION_VALENCE}),
        ("Ils m'ont fait revenir trois fois", "fr", {"fait": COERCION_VALENCE}),
        ("It made me smile", "en", {}),  # not an effort
        ("Orange never did that to me", "en", {"never": 0.4}),
        ("Orange n'a jamais fait ça", "fr", {"jamais": 0.4}),
        ("Aucun ne répond au téléphone", "fr", {"aucun": -0.6}),
        ("The maker is recalling cars", "en", {"recalling": -0.5}),
        ("Toujours la même vieille brique", "fr", {"vieille": -0.5}),
    ],
)
def test_round_five_service_events(text: str, lang: str, expected: dict[str, float]) -> None:
    assert events(text, lang) == pytest.approx(expected)


def test_fewer_turns_the_next_word_round_and_share_prices_move() -> None:
    analysis = sentiment.analyse("fewer good deals", "en")
    assert inversions(analysis)[1] < 0
    moves = price_moves(sentiment.analyse("Orange shares fell 4%", "en"))
    assert list(moves.values()) == [STOCK_FALL_VALENCE]
    moves = price_moves(sentiment.analyse("L'action Orange grimpe", "fr"))
    assert list(moves.values()) == [STOCK_RISE_VALENCE]


def test_the_model_does_not_read_praise_turned_round_by_fewer() -> None:
    """The linear model reads `fewer good deals` as praise; the rules turned it round."""
    linear = Enricher(
        [Brand(name=n) for n in BRANDS], backend=load_backend("linear"), with_entities=False
    )
    text = "SFR raised prices again, and Orange has fewer good deals every year."
    assert labels(linear, text, "en") == {"SFR": NEG, "Orange": NEG}
