"""Round nine of issue 11's per-brand rules: facts with no sentiment word (lengths of time compared
between two brands, a customer unable to act, a service cut, promises kept or broken, replies never
given, money owed, claims paid, a wait since a date, hours on the phone, a date moved again and
again, a delivery left outside, repairs not covered, things in stock, still at it or still not
done, a service in scare quotes), number words, and a price move a refund made good. Sentences
written for these tests, not in the gold set."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels, spans_of
from transform import sentiment
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges
from transform.targeted.events import SLOW_VALENCE, _resolved_complaints, service_events
from transform.targeted.facts import (
    FACT_VALENCE,
    QUICKER_VALENCE,
    SLOWER_VALENCE,
    UNABLE_VALENCE,
    _lengths,
    fact_events,
    made_good_moves,
    quoted_services,
    relative_lengths,
)
from transform.targeted.prices import price_moves

BRANDS = ["Orange", "SFR", "Verizon", "Sprint", "Monzo", "Barclays", "Fnac", "Darty"]
BRANDS += ["Kettler", "Brabantia", "Hermes", "Yodel", "Colissimo", "Chronopost"]
NEG, POS, NEU = "negative", "positive", "neutral"


def facts(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    found = fact_events(analysis, service_events(analysis))
    return {analysis.tokens[i].text: v for i, v in found.items() if v}


def compared(text: str, lang: str, brands: tuple[str, str]) -> dict[str, float]:
    """Each brand's relative-length valences, by brand (the nearest brand named before)."""
    analysis = sentiment.analyse(text, lang)
    spans = spans_of(text, brands)
    found = relative_lengths(text, analysis, spans)
    by_brand: dict[str, float] = {}
    for i, value in found.items():
        start = analysis.tokens[i].start
        owner = max((s[0][0], b) for b, s in spans.items() if s[0][0] < start)[1]
        by_brand[owner] = value
    return by_brand


@pytest.mark.parametrize(
    ("text", "lang", "hours"),
    [
        ("sorted in under an hour", "en", [1.0]),
        ("took four working days", "en", [96.0]),
        ("a fortnight later", "en", [336.0]),
        ("over a weekend", "en", [48.0]),
        ("il a fallu onze jours", "fr", [264.0]),
        ("livré le lendemain", "fr", [24.0]),
        ("j'attends depuis mars", "fr", [1500.0]),
        ("1 h 40 de retard", "fr", [1.0]),
    ],
)
def test_lengths_of_time_are_read_in_hours(text: str, lang: str, hours: list[float]) -> None:
    assert [h for _, h in _lengths(text, lang)] == hours


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("it costs £12 a month", "en"),
        ("serviced every six months", "en"),
        ("a month of free streaming for the trouble", "en"),
        ("le train de 8 h 15", "fr"),
        ("trois mois d'abonnement offerts", "fr"),
    ],
)
def test_rates_gifts_and_times_of_day_are_no_lengths(text: str, lang: str) -> None:
    assert _lengths(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "quick", "slow"),
    [
        (
            "Monzo moved the money in ten minutes. Barclays needed six working days.",
            "en",
            "Monzo",
            "Barclays",
        ),
        (
            "Barclays answered after three weeks, Monzo the same afternoon.",
            "en",
            "Monzo",
            "Barclays",
        ),
        (
            "Darty a réparé le four en deux jours. La Fnac l'a gardé cinq semaines.",
            "fr",
            "Darty",
            "Fnac",
        ),
        (
            "SFR m'attend depuis janvier pour un remboursement ; Orange l'a fait en une semaine.",
            "fr",
            "Orange",
            "SFR",
        ),
    ],
)
def test_the_quicker_service_is_praised_and_the_slower_blamed(
    text: str, lang: str, quick: str, slow: str
) -> None:
    found = compared(text, lang, (quick, slow))
    assert found[quick] == QUICKER_VALENCE
    assert found[slow] == SLOWER_VALENCE


@pytest.mark.parametrize(
    ("text", "lang", "longer", "shorter"),
    [
        (
            "My Kettler bike lasted eight months; the Brabantia one is fine after four years.",
            "en",
            "Brabantia",
            "Kettler",
        ),
        (
            "Le grille-pain Darty a lâché après six mois, celui de la Fnac tourne depuis 10 ans",
            "fr",
            "Fnac",
            "Darty",
        ),
    ],
)
def test_the_longer_life_is_praised(text: str, lang: str, longer: str, shorter: str) -> None:
    found = compared(text, lang, (longer, shorter))
    assert found[longer] > 0 > found[shorter]


@pytest.mark.parametrize(
    ("text", "lang", "brands"),
    [
        # a length each, too close to tell
        ("Monzo took three days and Barclays four days.", "en", ("Monzo", "Barclays")),
        # a service's length beside a product's life: no comparison
        (
            "Monzo replied in an hour. My Barclays card lasted three years.",
            "en",
            ("Monzo", "Barclays"),
        ),
    ],
)
def test_lengths_close_or_of_different_kinds_compare_nothing(
    text: str, lang: str, brands: tuple[str, str]
) -> None:
    assert compared(text, lang, brands) == {}


def test_a_shorter_outage_is_no_praise() -> None:
    found = compared(
        "Verizon has been down since Monday and Sprint was down for two hours.",
        "en",
        ("Verizon", "Sprint"),
    )
    assert found == {"Verizon": SLOWER_VALENCE}


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("I still couldn't cancel the contract", "en", "couldn't"),
        ("we can't even log in since the update", "en", "can't"),
        ("unable to reach anyone in billing", "en", "unable"),
        ("impossible de résilier en ligne", "fr", "impossible"),
        ("je n'arrive pas à joindre le service client", "fr", "arrive"),
    ],
)
def test_a_customer_unable_to_act_is_a_complaint(text: str, lang: str, word: str) -> None:
    assert facts(text, lang) == {word: UNABLE_VALENCE}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("I can't fault them", "en"), ("couldn't be happier", "en"), ("can't wait to try it", "en")],
)
def test_idioms_of_praise_are_no_inability(text: str, lang: str) -> None:
    assert "can't" not in facts(text, lang) and "couldn't" not in facts(text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("two days without water in the flat", "en", "without"),
        ("the estate had no power until Thursday", "en", "no"),
        ("the mobile network was down all morning", "en", "was"),
        ("cinq jours sans fibre", "fr", "sans"),
        ("toujours plus de réseau dans le village", "fr", "plus"),
    ],
)
def test_a_service_cut_is_a_complaint(text: str, lang: str, word: str) -> None:
    assert facts(text, lang) == {word: FACT_VALENCE}


@pytest.mark.parametrize(
    "text", ["their prices went down in May", "no signal problems since the upgrade"]
)
def test_prices_going_down_and_denied_problems_are_no_cut(text: str) -> None:
    assert facts(text, "en") == {}


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("the courier kept its promise", "en", 1),
        ("the fridge came as promised", "en", 1),
        ("the engineer turned up when they said", "en", 1),
        ("they broke their promise twice", "en", -1),
        ("le magasin a tenu sa promesse", "fr", 1),
        ("livré comme annoncé", "fr", 1),
        ("ils n'ont pas tenu les délais", "fr", -1),
        ("my emails were never answered", "en", -1),
        ("support never replied", "en", -1),
        ("ils n'ont jamais répondu", "fr", -1),
        ("the bank still owes me £40", "en", -1),
        ("la compagnie nous doit 200 €", "fr", -1),
        ("the insurer settled my claim", "en", 1),
        ("l'assureur m'a versé l'indemnité", "fr", 1),
        ("the repair wasn't covered", "en", -1),
        ("la réparation n'est pas couverte", "fr", -1),
        ("the shop had it in stock", "en", 1),
        ("la pièce était en rayon", "fr", 1),
        ("the van left it in the rain", "en", -1),
        ("le livreur a laissé le carton sur le palier", "fr", -1),
    ],
)
def test_facts_of_service_have_a_sign(text: str, lang: str, sign: int) -> None:
    values = facts(text, lang).values()
    assert values and all(v * sign > 0 for v in values)


@pytest.mark.parametrize(
    "text",
    [
        "the app said in stock and it wasn't",
        "they promised Friday, then Tuesday, then the Monday after",
    ],
)
def test_a_claim_denied_and_a_date_moved_are_no_praise(text: str) -> None:
    values = facts(text, "en").values()
    assert not any(v > 0 for v in values)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I've been waiting since March", "en"),
        ("j'attends depuis janvier", "fr"),
        ("three hours on the phone", "en"),
        ("une heure au téléphone", "fr"),
        ("livraison prévue mardi, puis jeudi", "fr"),
    ],
)
def test_waits_since_a_date_hours_on_the_phone_and_dates_moved(text: str, lang: str) -> None:
    assert list(facts(text, lang).values()) == [FACT_VALENCE]


def test_number_words_make_a_slow_service() -> None:
    analysis = sentiment.analyse("la livraison a mis onze jours", "fr")
    assert SLOW_VALENCE in service_events(analysis).values()


@pytest.mark.parametrize(
    ("text", "lang", "made_good"),
    [
        ("Orange m'a remboursé la facture en double", "fr", True),
        ("Orange m'a envoyé la facture en double", "fr", False),
    ],
)
def test_a_price_move_a_refund_made_good_is_none(text: str, lang: str, made_good: bool) -> None:
    analysis = sentiment.analyse(text, lang)
    moves = price_moves(analysis)
    assert moves
    clauses = clause_ranges(text, lang, [], [])
    assert bool(made_good_moves(analysis, moves, clauses)) is made_good


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Monzo moved my savings in twenty minutes. Barclays took nine working days.",
            "en",
            {"Monzo": POS, "Barclays": NEG},
        ),
        (
            "After an hour on the phone Verizon still couldn't cancel my line; "
            "Sprint did it in one message.",
            "en",
            {"Verizon": NEG, "Sprint": POS},
        ),
        (
            "Hermes left my parcel outside in the rain. Yodel kept its promise of a morning slot.",
            "en",
            {"Hermes": NEG, "Yodel": POS},
        ),
        (
            "La Fnac a mis onze jours à me rembourser. Darty l'a fait en trois jours.",
            "fr",
            {"Fnac": NEG, "Darty": POS},
        ),
        (
            "J'attends Chronopost depuis lundi. Colissimo m'a livré comme promis.",
            "fr",
            {"Chronopost": NEG, "Colissimo": POS},
        ),
        (
            "Colissimo m'a livré comme annoncé. Chronopost a repoussé ma livraison trois fois.",
            "fr",
            {"Colissimo": POS, "Chronopost": NEG},
        ),
    ],
)
def test_facts_decide_each_brand(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("they are still charging me after I cancelled", "en"),
        ("It's Friday and the refund still isn't there", "en"),
        ("je reçois encore des factures", "fr"),
        ("ils prélèvent toujours l'abonnement", "fr"),
    ],
)
def test_still_at_it_or_still_not_done_is_a_complaint(text: str, lang: str) -> None:
    assert list(facts(text, lang).values()) == [FACT_VALENCE]


def test_still_before_a_negated_valence_word_is_left_to_the_lexicon() -> None:
    assert facts("the app still isn't great", "en") == {}


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("They 'delivered' it to the wrong flat", "en", "delivered"),
        ("the fault was “fixed” on Monday", "en", "fixed"),
        ("le problème est « réglé » depuis lundi", "fr", "réglé"),
    ],
)
def test_a_service_in_scare_quotes_did_not_happen(text: str, lang: str, word: str) -> None:
    analysis = sentiment.analyse(text, lang)
    found = quoted_services(text, analysis)
    assert {analysis.tokens[i].text: v for i, v in found.items()} == {word: FACT_VALENCE}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the charger burnt out in March", "en"),
        ("the screen won't turn on", "en"),
        ("the leak was never fixed", "en"),
        ("the app froze at checkout", "en"),
        ("l'écran a lâché", "fr"),
        ("le téléphone ne s'allume plus", "fr"),
        ("la fuite n'a jamais été réparée", "fr"),
    ],
)
def test_things_broken_dead_or_never_fixed_are_complaints(text: str, lang: str) -> None:
    values = list(facts(text, lang).values())
    assert values and all(v < 0 for v in values)


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("the third engineer visit this month", "en", "third"),
        ("after four calls and two emails", "en", "four"),
        ("pour la troisième fois", "fr", "troisième"),
        ("trois relances plus tard", "fr", "trois"),
    ],
)
def test_attempts_repeated_are_a_complaint(text: str, lang: str, word: str) -> None:
    assert facts(text, lang)[word] == FACT_VALENCE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("two times cheaper than before", "en"),
        ("deux fois moins cher", "fr"),
        ("three times", "en"),
    ],
)
def test_ratios_and_bare_counts_are_no_attempts(text: str, lang: str) -> None:
    assert facts(text, lang) == {}


@pytest.mark.parametrize(
    ("text", "word"),
    [("they cancelled my order the night before", "cancelled"), ("they never called", "never")],
)
def test_an_order_cancelled_and_a_call_never_made_are_complaints(text: str, word: str) -> None:
    assert facts(text, "en") == {word: FACT_VALENCE}


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("the chain raised its forecast for the year", "en", 1),
        ("the carmaker posted a bigger loss", "en", -1),
        ("le groupe a relevé ses prévisions", "fr", 1),
        ("le groupe a abaissé ses prévisions", "fr", -1),
    ],
)
def test_business_forecasts_and_records_have_a_sign(text: str, lang: str, sign: int) -> None:
    values = facts(text, lang).values()
    assert values and all(v * sign > 0 for v in values)


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("le magasin a repris la table abîmée", "fr", "abîmée"),
        ("ils ont récupéré la machine cassée", "fr", "cassée"),
        ("the insurer settled the claim for the broken window", "en", "broken"),
    ],
)
def test_a_fault_taken_back_or_paid_for_is_made_good(text: str, lang: str, word: str) -> None:
    analysis = sentiment.analyse(text, lang)
    clauses = clause_ranges(text, lang, [], [])
    valences = list(analysis.valences)
    for i, value in service_events(analysis).items():
        valences[i] = value
    made_good = _resolved_complaints(analysis, valences, clauses)
    assert word in {analysis.tokens[i].text for i in made_good}
