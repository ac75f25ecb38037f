"""Round eight of issue 11's per-brand rules: a switch asked about, a switch by selling and
buying, a switch kept to its sentence, business results as news, fees added, praise beside a
price rise, a service put off, quick in hours or a day or two, still working or dead, small
faults and counts of nothing denied, `amazing how` / `incroyable comme`. Sentences written for
these tests, not in the gold set."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels
from transform import sentiment
from transform.backends import Prediction
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges
from transform.targeted.events import (
    QUICK_VALENCE,
    SLOW_VALENCE,
    SMALL_FAULT_VALENCE,
    service_events,
)
from transform.targeted.irony import _sarcasm_frames
from transform.targeted.news import impersonal
from transform.targeted.prices import (
    PRICE_RISE_VALENCE,
    STOCK_FALL_VALENCE,
    STOCK_RISE_VALENCE,
    price_moves,
)
from transform.targeted.results import TargetPlan
from transform.targeted.scoring import QUESTION_MODEL_WEIGHT, _window_score
from transform.targeted.switches import switch_valence
from transform.targeted.valences import _masked_valences

BRANDS = ["Orange", "SFR", "Free", "Verizon", "AT&T", "Monzo", "Barclays", "Fnac", "Darty"]
BRANDS += ["Peugeot", "Toyota", "Volkswagen", "Hyundai"]
NEG, POS, NEU = "negative", "positive", "neutral"


def events(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    return {analysis.tokens[i].text: v for i, v in service_events(analysis).items() if v}


def moves(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    return {analysis.tokens[i].text: v for i, v in price_moves(analysis).items()}


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("they cannot send anyone until next month", "en", "until"),
        ("no slot before March, apparently", "en", "before"),
        ("aucun créneau avant la mi-février", "fr", "avant"),
        ("on ne peut rien faire avant lundi", "fr", "avant"),
    ],
)
def test_a_service_put_off_is_slow(text: str, lang: str, word: str) -> None:
    assert events(text, lang)[word] == SLOW_VALENCE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("call before Monday to keep the discount", "en"),
        ("pensez à résilier avant la fin du mois", "fr"),
    ],
)
def test_until_without_a_negation_is_nothing(text: str, lang: str) -> None:
    assert SLOW_VALENCE not in events(text, lang).values()


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("the courier came within two days", "en", "within"),
        ("repaired in a day and a half", "en", "in"),
        ("le frigo a été livré en deux jours", "fr", "en"),
    ],
)
def test_quick_in_an_hour_or_a_day_or_two(text: str, lang: str, word: str) -> None:
    assert events(text, lang)[word] == QUICK_VALENCE


def test_weeks_are_not_quick() -> None:
    assert QUICK_VALENCE not in events("it arrived in three weeks", "en").values()


@pytest.mark.parametrize(
    ("text", "lang", "word", "sign"),
    [
        ("my old kettle is still going after ten years", "en", "still", 1),
        ("la machine tourne toujours après douze ans", "fr", "tourne", 1),
        ("the boiler packed in after a year", "en", "packed", -1),
        ("le sèche-linge a rendu l'âme", "fr", "rendu", -1),
        ("the washer flooded the bathroom", "en", "flooded", -1),
    ],
)
def test_still_working_or_dead(text: str, lang: str, word: str, sign: int) -> None:
    assert events(text, lang)[word] * sign > 0


def test_a_small_fault_is_a_complaint_and_its_denial_praise() -> None:
    assert events("one small hiccup with the app", "en")["hiccup"] == SMALL_FAULT_VALENCE
    assert events("three years without a hiccup", "en")["hiccup"] > 0
    assert events("installée sans un accroc", "fr")["accroc"] > 0


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("depuis, plus une seule panne", "fr", "panne"),
        ("plus une seule coupure depuis mars", "fr", "coupure"),
    ],
)
def test_a_count_of_nothing_denies_the_complaint(text: str, lang: str, word: str) -> None:
    analysis = sentiment.analyse(text, lang)
    assert analysis.valences[[t.text for t in analysis.tokens].index(word)] < 0
    assert events(text, lang)[word] > 0


@pytest.mark.parametrize(
    ("text", "lang", "word", "value"),
    [
        ("quarterly sales rose 8%", "en", "rose", STOCK_RISE_VALENCE),
        ("deliveries slipped again in May", "en", "slipped", STOCK_FALL_VALENCE),
        ("it reported higher profits", "en", "higher", STOCK_RISE_VALENCE),
        ("les ventes ont progressé de 5 %", "fr", "progressé", STOCK_RISE_VALENCE),
        ("le chiffre d'affaires recule", "fr", "recule", STOCK_FALL_VALENCE),
    ],
)
def test_business_results_move_like_a_share_price(
    text: str, lang: str, word: str, value: float
) -> None:
    assert moves(text, lang)[word] == value


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("they added a £4 fee for paper bills", "en", "added"),
        ("they charge extra for a paper bill", "en", "extra"),
        ("ils ont ajouté 3 € de frais de dossier", "fr", "ajouté"),
    ],
)
def test_fees_added_are_a_price_rise(text: str, lang: str, word: str) -> None:
    assert moves(text, lang)[word] == PRICE_RISE_VALENCE


def test_praise_in_the_clause_of_a_price_rise_is_sarcasm() -> None:
    text = "So happy Verizon raised my bill again. AT&T is fine."
    analysis = sentiment.analyse(text, "en")
    names = [(0, 0)]
    clauses = clause_ranges(text, "en", [], names)
    valences = _masked_valences(text, analysis, names, clauses)
    words = [t.text for t in analysis.tokens]
    assert analysis.valences[words.index("happy")] > 0
    assert valences[words.index("happy")] < 0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("published results", "en"),
        ("Le groupe a publié ses résultats annuels", "fr"),
    ],
)
def test_published_results_are_news(text: str, lang: str) -> None:
    assert impersonal(sentiment.analyse(text, lang))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Funny how Verizon finds me when the bill is due", "en"),
        ("Incroyable comme SFR répond vite quand il faut payer", "fr"),
    ],
)
def test_more_sarcasm_frames(text: str, lang: str) -> None:
    assert _sarcasm_frames(text, lang)


def spans_of(text: str, name: str) -> list[tuple[int, int]]:
    start = text.index(name)
    return [(start, start + len(name))]


@pytest.mark.parametrize(
    ("text", "lang", "left", "taken"),
    [
        (
            "Sold the Peugeot after two gearbox failures and bought a Toyota.",
            "en",
            "Peugeot",
            "Toyota",
        ),
        (
            "Revendu la Volkswagen au bout d'un an, j'ai pris une Hyundai.",
            "fr",
            "Volkswagen",
            "Hyundai",
        ),
    ],
)
def test_selling_one_and_buying_another_is_a_switch(
    text: str, lang: str, left: str, taken: str
) -> None:
    analysis = sentiment.analyse(text, lang)
    assert switch_valence(analysis, spans_of(text, left)) < 0
    assert switch_valence(analysis, spans_of(text, taken)) > 0


def test_a_switch_stays_in_its_sentence() -> None:
    text = "Le technicien est passé lundi. Pour Darty, rien."
    analysis = sentiment.analyse(text, "fr")
    assert switch_valence(analysis, spans_of(text, "Darty")) == 0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Has anyone moved from Verizon to AT&T? How was it?", "en"),
        ("Quelqu'un a déjà quitté SFR pour Free ? Ça vaut le coup ?", "fr"),
    ],
)
def test_a_switch_asked_about_judges_neither_brand(
    enricher: Enricher, text: str, lang: str
) -> None:
    assert set(labels(enricher, text, lang).values()) == {NEU}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Monzo sent a new card within two days. Barclays can't issue one until next month.",
            "en",
            {"Monzo": POS, "Barclays": NEG},
        ),
        (
            "Un technicien Orange est venu en deux jours. Chez SFR, pas de rendez-vous avant mars.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
    ],
)
def test_a_quick_service_beside_one_put_off(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monzo moved my savings in half the time Barclays took.", {"Monzo": POS, "Barclays": NEG}),
        (
            "Monzo's card is as good as Barclays' for half the price.",
            {"Monzo": POS, "Barclays": NEG},
        ),
    ],
)
def test_half_the_time_or_the_price_ranks(enricher: Enricher, text: str, expected: dict) -> None:
    assert labels(enricher, text, "en") == expected


def test_a_question_with_only_weak_words_counts_the_model_less() -> None:
    target = TargetPlan("fr", Prediction("neutral", 0.0, 1.0), windows=["@brand ?"])
    for name in ("irony", "framed", "moved", "serviced", "denied", "limited", "turned"):
        getattr(target, name).append(False)
    target.rules.append(-0.2)
    target.question.append(True)
    model = Prediction("negative", -0.9, 0.9)
    rules = 0.5 * -0.2 / (0.04 + 1) ** 0.5
    assert _window_score(0, target, model) == pytest.approx(QUESTION_MODEL_WEIGHT * -0.9 + rules)
