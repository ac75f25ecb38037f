"""Round seven of issue 11's per-brand rules: service failures and praise told as facts (a wait
with its length, a length stretching a complaint, being passed between departments, kept for
days, things missing or damaged, refunds given without asking, compensation for a fault), a
weak word after `still not`, and a return after a switch. Sentences written for these tests, not
in the gold set."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels
from transform import sentiment
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges
from transform.targeted.events import (
    COERCION_VALENCE,
    SLOW_VALENCE,
    STRETCH_VALENCE,
    WAIT_VALENCE,
    _resolved_complaints,
    service_events,
)
from transform.targeted.hedges import wished_for
from transform.targeted.switches import returns, switch_valence

BRANDS = ["Orange", "SFR", "Free", "Verizon", "AT&T", "Monzo", "Barclays", "Fnac", "Darty"]
NEG, POS = "negative", "positive"


def events(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    return {analysis.tokens[i].text: v for i, v in service_events(analysis).items() if v}


@pytest.mark.parametrize(
    ("text", "lang", "first"),
    [
        ("we waited over two hours for the technician", "en", "waited"),
        ("on hold for forty minutes again", "en", "on"),
        ("three weeks waiting for a callback", "en", "weeks"),
        ("j'ai attendu trois jours une réponse", "fr", "attendu"),
        ("deux heures d'attente au guichet", "fr", "heures"),
    ],
)
def test_a_wait_with_its_length_is_a_complaint(text: str, lang: str, first: str) -> None:
    assert events(text, lang)[first] == (WAIT_VALENCE if first != "on" else -0.5)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("only waited five minutes, fair enough", "en"),
        ("worth the wait", "en"),
        ("servi sans attendre", "fr"),
        ("ça valait l'attente", "fr"),
    ],
)
def test_a_short_or_lengthless_wait_is_no_complaint(text: str, lang: str) -> None:
    assert all(v != WAIT_VALENCE for v in events(text, lang).values())


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("the app kept crashing for three days", "en", "for"),
        ("la box est en panne depuis mardi", "fr", "depuis"),
    ],
)
def test_a_length_after_a_complaint_stretches_it(text: str, lang: str, word: str) -> None:
    assert events(text, lang)[word] == STRETCH_VALENCE


def test_a_length_with_no_complaint_is_nothing() -> None:
    assert events("we stayed there for two weeks in June", "en") == {}


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("they transferred me from billing to the sales team and back", "en", "transferred"),
        ("on m'a renvoyé du service client au service technique", "fr", "renvoyé"),
    ],
)
def test_being_passed_between_departments(text: str, lang: str, word: str) -> None:
    assert events(text, lang)[word] == COERCION_VALENCE


def test_one_department_named_is_no_passing_around() -> None:
    assert "transferred" not in events("I transferred the money to the savings team", "en")


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("the garage kept my van for eleven days", "en", "kept"),
        ("two weeks for an engineer to turn up", "en", "weeks"),
        ("un mois pour un remboursement", "fr", "mois"),
        ("ils ont gardé mon ordinateur trois semaines", "fr", "gardé"),
    ],
)
def test_kept_for_days_or_days_for_a_service_is_slow(text: str, lang: str, word: str) -> None:
    assert events(text, lang)[word] == SLOW_VALENCE


@pytest.mark.parametrize(
    ("text", "lang", "word", "sign"),
    [
        ("the screen arrived cracked", "en", "cracked", -1),
        ("nobody came on Saturday", "en", "nobody", -1),
        ("the website has been under maintenance", "en", "under", -1),
        ("they credited my account without me asking", "en", "without", 1),
        ("the order came a day early", "en", "a", 1),
        ("le colis est arrivé abîmé", "fr", "abîmé", -1),
        ("personne n'est venu ce matin", "fr", "personne", -1),
        ("ils m'ont rappelé sans que je demande", "fr", "sans", 1),
        ("livré plus tôt que prévu", "fr", "plus", 1),
    ],
)
def test_service_facts_have_a_valence(text: str, lang: str, word: str, sign: int) -> None:
    assert events(text, lang)[word] * sign > 0


def test_still_not_before_a_weak_word_is_a_complaint() -> None:
    # `partie` is -0.1 in textblob-fr: the negation has no statement of its own to deny
    assert events("la commande n'est toujours pas partie", "fr")["toujours"] < 0
    assert events("toujours pas de souci avec eux", "fr") == {}


@pytest.mark.parametrize(
    ("text", "lang", "complaint"),
    [
        ("they replaced my broken charger for free", "en", "broken"),
        ("on m'a offert un mois pour la panne", "fr", "panne"),
    ],
)
def test_a_fault_made_good_is_no_complaint(text: str, lang: str, complaint: str) -> None:
    analysis = sentiment.analyse(text, lang)
    clauses = clause_ranges(text, lang, [], [])
    made_good = {
        analysis.tokens[i].text for i in _resolved_complaints(analysis, analysis.valences, clauses)
    }
    assert complaint in made_good
    # without the clauses (the post's label, the model's features) nothing changes
    assert complaint not in {
        analysis.tokens[i].text for i in _resolved_complaints(analysis, analysis.valences)
    }


def test_a_fault_in_another_clause_is_not_made_good() -> None:
    text = "they replaced the router, the line is still broken"
    analysis = sentiment.analyse(text, "en")
    clauses = clause_ranges(text, "en", [], [])
    made_good = {
        analysis.tokens[i].text for i in _resolved_complaints(analysis, analysis.valences, clauses)
    }
    assert "broken" not in made_good


@pytest.mark.parametrize(
    ("text", "lang", "back", "tried"),
    [
        (
            "Moved from Verizon to AT&T last spring, the signal at home is hopeless. "
            "Going back to Verizon.",
            "en",
            "Verizon",
            "AT&T",
        ),
        (
            "Passé de SFR à Free en janvier, plus aucun réseau au bureau. Je retourne chez SFR.",
            "fr",
            "SFR",
            "Free",
        ),
    ],
)
def test_a_return_after_a_switch(
    enricher: Enricher, text: str, lang: str, back: str, tried: str
) -> None:
    assert labels(enricher, text, lang) == {back: POS, tried: NEG}


def test_a_brand_left_then_gone_back_to_is_where_one_went() -> None:
    text = "Left Monzo for Barclays, then went back to Monzo"
    analysis = sentiment.analyse(text, "en")
    monzo = [(5, 10), (text.rindex("Monzo"), len(text))]
    assert switch_valence(analysis, monzo) > 0
    assert returns(analysis, {"Monzo": monzo, "Barclays": [(15, 23)]}) == {"Monzo"}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Waited 40 minutes at the Fnac counter. Darty had it ready at the door.",
            "en",
            {"Fnac": NEG},
        ),
        (
            "Darty m'a remboursé sans que je demande. Fnac a gardé ma console six semaines.",
            "fr",
            {"Darty": POS, "Fnac": NEG},
        ),
    ],
)
def test_service_facts_decide_brand_windows(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = labels(enricher, text, lang)
    assert {b: found[b] for b in expected} == expected


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("I need a reliable router for working from home", "en", "reliable"),
        ("il me faut des prises et un wifi correct", "fr", "correct"),
        ("je cherche une banque sérieuse", "fr", "sérieuse"),
    ],
)
def test_the_praise_of_a_thing_wished_for_is_a_limit(text: str, lang: str, word: str) -> None:
    analysis = sentiment.analyse(text, lang)
    assert word in {analysis.tokens[i].text for i in wished_for(analysis)}


def test_a_wish_with_no_object_limits_nothing() -> None:
    analysis = sentiment.analyse("I want to thank them, great service", "en")
    assert wished_for(analysis) == set()


def test_a_question_and_a_wish_judge_neither_brand(enricher: Enricher) -> None:
    text = "Fnac ou Darty pour une télé ? Il me faut un bon rapport qualité-prix, livré vite."
    assert set(labels(enricher, text, "fr").values()) == {"neutral"}


@pytest.mark.parametrize(
    ("text", "lang", "word", "sign"),
    [
        ("had to explain my problem to five people", "en", "had", -1),
        ("j'ai dû rappeler trois fois", "fr", "dû", -1),
        ("the old one still works after ten years", "en", "still", 1),
        ("la box marche toujours après dix ans", "fr", "marche", 1),
        ("they went above and beyond", "en", "above", 1),
        ("le vol a été annulé", "fr", "annulé", -1),
        ("the delivery was stone cold", "en", "stone", -1),
        ("on a été surclassés", "fr", "surclassés", 1),
    ],
)
def test_more_service_facts(text: str, lang: str, word: str, sign: int) -> None:
    assert events(text, lang)[word] * sign > 0


def test_praise_a_negation_follows_is_no_praise() -> None:
    # `marche toujours` is praise, `ne marche toujours pas` is not
    assert events("la box ne marche toujours pas", "fr") == {"toujours": -0.5}


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("they refunded me without me asking", "en", 1),
        ("a month free for the outage without me asking", "en", 1),
        ("they renewed my plan without asking", "en", -1),
        ("upgraded my plan without asking and now it costs more", "en", -1),
        ("ils m'ont remboursé sans que je demande", "fr", 1),
        ("SFR a changé mon forfait sans que je demande", "fr", -1),
    ],
)
def test_without_asking_is_a_gift_or_an_imposition(text: str, lang: str, sign: int) -> None:
    first = "without" if lang == "en" else "sans"
    assert events(text, lang)[first] * sign > 0
