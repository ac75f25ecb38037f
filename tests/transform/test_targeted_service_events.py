"""What a brand did to a customer, in words the general vocabulary leaves unscored (`bloqué sans
raison`, `no reply`, `rien à redire`, `zéro coupure`), read in brand windows only. Sentences
written for these tests, not in the gold set."""

from __future__ import annotations

import pytest

from core.config import Alias, Brand
from tests.transform.per_brand import labels
from transform import sentiment
from transform.backends import load_backend
from transform.enrich import Enricher
from transform.targeted.clauses import _contrast_opens, clause_ranges
from transform.targeted.comparatives import inversions
from transform.targeted.events import _resolved_complaints, service_events

BRANDS = ["Nuage", "Fibrea", "Célest", "Zest", "Monzo", "Barclays"]
# The linear backend's per-brand reviewer (`transform.targeted.review`) reads these two otherwise
# (`moins bon` turned round: neutral, p 0.55; praise before a question on the other brand:
# neutral); it gains 0.038 / 0.039 in cross-validation over the rules it reviews, so the data
# decide. Strict, so a reviewer that reads them right again shows here.
REVIEWER_READS_OTHERWISE = {
    "Chez Nuage le réseau était moins bon et la box plus chère, vive Zest !",
    "Pas mal du tout le forfait Nuage, 100 Go pour le prix d'un café, mais est-ce que la box Zest "
    "accepte un routeur perso ?",
}


def _reviewer_reads_otherwise(
    enricher: Enricher, text: str, request: pytest.FixtureRequest
) -> None:
    if enricher.backend.name == "linear" and text in REVIEWER_READS_OTHERWISE:
        reason = "the per-brand reviewer reads it otherwise"
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def events(text: str, lang: str) -> dict[str, float]:
    analysis = sentiment.analyse(text, lang)
    found = service_events(analysis).items()
    return {analysis.tokens[i].text: v for i, v in found if v}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # round seven: `depuis lundi` after a complaint stretches it
        (
            "Mon compte est bloqué depuis lundi sans raison",
            "fr",
            {"bloqué": -0.5, "depuis": -0.3, "sans": -0.5},
        ),
        ("They cut off my line without warning", "en", {"cut": -0.5, "without": -0.4}),
        ("Toujours pas de réponse du support", "fr", {"toujours": -0.5}),
        ("Rien à redire, livré à l'heure", "fr", {"rien": 0.6, "à": 0.4}),
        ("Zéro coupure depuis mars", "fr", {"coupure": pytest.approx(0.36)}),
        ("zero outages this winter", "en", {"outages": pytest.approx(0.42)}),
        # A negation before a one-word entry turns it round.
        ("my card was never blocked abroad", "en", {"blocked": pytest.approx(0.3)}),
    ],
)
def test_service_events_score_what_the_lexicon_leaves_out(
    text: str, lang: str, expected: dict[str, float]
) -> None:
    assert events(text, lang) == expected


def test_a_time_of_day_is_not_punctuality() -> None:
    assert events("À l'heure actuelle je suis chez Zest", "fr") == {}


def test_a_phrase_wins_over_its_words() -> None:
    """`frais` alone is praise (fresh) to the lexicon; `frais cachés` is a complaint."""
    analysis = sentiment.analyse("des frais cachés partout", "fr")
    assert sum(analysis.valences) > 0
    assert events("des frais cachés partout", "fr") == {"frais": -0.6}
    assert events("they gave me no refund", "en") == {"no": -0.5}


def test_a_phrase_ending_on_a_negation_leaves_the_negated_word_alone() -> None:
    """`still no issues`: the negation already turns `issues` into praise."""
    assert events("still no issues after a year", "en") == {}
    assert events("toujours pas de souci", "fr") == {}
    assert events("still no reply after a week", "en") == {"still": -0.5}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Carte bloquée sans raison chez Monzo. Barclays, rien à redire depuis dix ans.",
            "fr",
            {"Monzo": "negative", "Barclays": "positive"},
        ),
        (
            "Zéro coupure avec Fibrea depuis l'été, alors que Nuage me lâche chaque semaine.",
            "fr",
            {"Fibrea": "positive", "Nuage": "negative"},
        ),
        (
            "Célest blocked my card for no reason. Zest, nothing to complain about in five years.",
            "en",
            {"Célest": "negative", "Zest": "positive"},
        ),
        (
            "Frais cachés partout chez Nuage. Zest : rien à signaler en deux ans.",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        (
            "My Monzo card stopped working abroad, Barclays was rock solid the whole trip.",
            "en",
            {"Monzo": "negative", "Barclays": "positive"},
        ),
        (
            "Fermé mon compte chez Nuage et tout transféré chez Zest.",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
    ],
)
def test_service_events_decide_two_brands(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A short praise clause is sarcasm only when what remains holds a complaint the rules see:
        # `problème … réglé, chapeau` is thanks, not irony.
        (
            "Le SAV de Zest a rappelé en cinq minutes, souci de box réglé, chapeau. "
            "Célest, je ne sais pas encore.",
            "fr",
            {"Zest": "positive"},
        ),
        (
            "Génial, encore un prélèvement en trop chez Nuage. Zest, lui, est réglo.",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        (
            "Depuis que je suis chez Fibrea la 4G passe partout, Célest m'a refusé le changement "
            "de forfait.",
            "fr",
            {"Fibrea": "positive", "Célest": "negative"},
        ),
        (
            "Monzo refused my transfer twice. Barclays works everywhere I travel.",
            "en",
            {"Monzo": "negative", "Barclays": "positive"},
        ),
    ],
)
def test_praise_and_complaints_of_a_service(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = labels(enricher, text, lang)
    assert {b: found[b] for b in expected} == expected


def test_a_window_holding_a_question_is_not_judged_by_the_model_alone() -> None:
    """`Quelqu'un a testé A ? Je compare.`: a question and a neutral statement, no valence word;
    the model's lean (negative here) counts about a third, so the brand stays neutral."""
    enricher = Enricher([Brand(name=n) for n in BRANDS], backend=load_backend("linear"))
    text = "Nuage m'a lâché encore. Quelqu'un a testé la fibre Zest à Lyon ? Je compare les offres."
    assert labels(enricher, text, "fr")["Zest"] == "neutral"


def test_less_turns_the_next_word_round_outside_a_comparison() -> None:
    """`moins bon`, `less reliable`, `moins de coupures`: the word after `less` turned round."""

    def turned(text: str, lang: str) -> dict[str, float]:
        analysis = sentiment.analyse(text, lang)
        found = inversions(analysis).items()
        return {analysis.tokens[i].text: round(v, 2) for i, v in found if v}

    assert turned("le réseau est moins bon le soir", "fr") == {"bon": -0.42}
    assert turned("the app got less reliable", "en") == {"reliable": -0.36}
    assert turned("moins de coupures qu'avant", "fr") == {"coupures": 0.36}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # `moins bon`, `plus cher` blame the brand they are said of; `vive B` praises the other.
        (
            "Chez Nuage le réseau était moins bon et la box plus chère, vive Zest !",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        # A stance adverb is no praise: the one left stays blamed.
        (
            "Honestly, I left Célest for Fibrea, Fibrea is so much better on coverage.",
            "en",
            {"Célest": "negative", "Fibrea": "positive"},
        ),
    ],
)
def test_less_stance_and_regret(
    enricher: Enricher,
    text: str,
    lang: str,
    expected: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    _reviewer_reads_otherwise(enricher, text, request)
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize("backend", ["rules", "linear"])
def test_a_handle_the_tokenizer_drops_still_takes_part_in_a_ranking(backend: str) -> None:
    brands = [
        Brand(name="Fibrea", aliases=[Alias(text="@fibrea")]),
        Brand(name="Zest", aliases=[Alias(text="@zestmobile")]),
    ]
    enricher = Enricher(brands, backend=load_backend(backend), with_entities=False)
    got = labels(enricher, "@fibrea beats @zestmobile on coverage by a mile.", "en")
    assert got == {"Fibrea": "positive", "Zest": "negative"}
    got = labels(enricher, "@zestmobile largement devant @fibrea sur le réseau, pas photo.", "fr")
    assert got == {"Zest": "positive", "Fibrea": "negative"}


@pytest.mark.parametrize("backend", ["rules", "linear"])
def test_no_regrets_praises_the_move_not_the_one_left(backend: str) -> None:
    """The closing hashtag names the destination again, so the one left has a window of its own;
    its `no regrets` is about the switch."""
    brands = [Brand(name="Nuage"), Brand(name="Zest", aliases=[Alias(text="#ZestMobile")])]
    enricher = Enricher(brands, backend=load_backend(backend), with_entities=False)
    text = "Moved from Nuage to Zest for fibre: no regrets, the speed is night and day. #ZestMobile"
    assert labels(enricher, text, "en") == {"Nuage": "negative", "Zest": "positive"}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A sarcasm emoji ironises its side of a contrast, not the other brand's praise.
        (
            "Monzo sorted my card issue in ten minutes, impressive, but great job Barclays, "
            "billed twice this month, just wonderful 🙃",
            "en",
            {"Monzo": "positive", "Barclays": "negative"},
        ),
        (
            "Bravo Nuage, facturé deux fois ce mois-ci, vraiment au top 🙃, alors que je suis "
            "très content de Zest, zéro coupure depuis six mois.",
            "fr",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        # A negation does not reach past a comma: `rare for a carrier` stays praise.
        (
            "Fibrea replaced my router without any hassle, rare for a carrier. Célest, not really.",
            "en",
            {"Fibrea": "positive"},
        ),
    ],
)
def test_sarcasm_and_negation_keep_to_their_clause(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = labels(enricher, text, lang)
    assert {b: found[b] for b in expected} == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # The question starts after the contrast word: the praise before it still counts.
        (
            "Pas mal du tout le forfait Nuage, 100 Go pour le prix d'un café, mais est-ce que la "
            "box Zest accepte un routeur perso ?",
            "fr",
            {"Nuage": "positive", "Zest": "neutral"},
        ),
        # A network that drops is a complaint.
        (
            "Chez Célest le réseau tombe dès que je sors de chez moi. Fibrea, rien à signaler.",
            "fr",
            {"Célest": "negative", "Fibrea": "positive"},
        ),
    ],
)
def test_question_scope_and_network_drops(
    enricher: Enricher,
    text: str,
    lang: str,
    expected: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    _reviewer_reads_otherwise(enricher, text, request)
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Ranking idioms: light years ahead, cannot hold a candle to, n'arrive pas à la cheville.
        (
            "Zest est à des années-lumière de Nuage niveau service client.",
            "fr",
            {"Zest": "positive", "Nuage": "negative"},
        ),
        (
            "Célest can't hold a candle to Fibrea when it comes to support.",
            "en",
            {"Célest": "negative", "Fibrea": "positive"},
        ),
        (
            "Nuage n'arrive pas à la cheville de Fibrea côté débit.",
            "fr",
            {"Nuage": "negative", "Fibrea": "positive"},
        ),
        # A comparison asked is no ranking.
        (
            "Is Zest any better than Nuage for rural coverage?",
            "en",
            {"Zest": "neutral", "Nuage": "neutral"},
        ),
        # Farewells cross languages; jumping ship and `je pars chez` are switches.
        ("Bye bye Nuage, bonjour Zest !", "fr", {"Nuage": "negative", "Zest": "positive"}),
        (
            "Jumped ship from Zest to Célest after the third price hike.",
            "en",
            {"Zest": "negative", "Célest": "positive"},
        ),
        (
            "Je pars chez Fibrea le mois prochain, Célest m'a trop déçu.",
            "fr",
            {"Fibrea": "positive", "Célest": "negative"},
        ),
        (
            "Célest did nothing for two weeks; Nuage fixed it the same day.",
            "en",
            {"Célest": "negative", "Nuage": "positive"},
        ),
        # `mais fiable` turns a concession: it is no sarcasm to strip.
        (
            "Nuage c'est cher mais fiable, Zest c'est pas cher mais ça coupe tout le temps.",
            "fr",
            {"Nuage": "positive", "Zest": "negative"},
        ),
    ],
)
def test_rankings_switches_and_concessions(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = labels(enricher, text, lang)
    assert {b: found[b] for b in expected} == expected


def test_a_clause_opens_on_a_whole_contrast_phrase_not_its_first_word() -> None:
    """`au top` is no `au contraire`, `par info` no `par contre`."""
    text = "Bravo Zest, au top 👏. Par contre, Nuage répond. Au contraire, par info rien."
    clauses = clause_ranges(text, "fr")
    opens = [text[a:b].strip() for a, b in clauses if a in _contrast_opens(text, "fr", clauses)]
    assert opens == ["Par contre,", "Au contraire,"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("répondu en cinq minutes", "fr", {"en": 0.3}),
        ("they answered within ten minutes", "en", {"within": 0.3}),
        ("une heure d'attente pour rien", "fr", {"heure": -0.5, "pour": -0.4}),  # wait: round seven
        ("la 5G est inexistante ici", "fr", {"inexistante": -0.6}),
        ("not a fan of the new plan", "en", {"not": -0.5}),
    ],
)
def test_quick_service_and_more_complaints(
    text: str, lang: str, expected: dict[str, float]
) -> None:
    assert events(text, lang) == expected


def test_a_complaint_a_fix_stands_beside_does_not_count() -> None:
    analysis = sentiment.analyse("Célest sorted my issues quickly", "en")
    valences = list(analysis.valences)
    issues = next(i for i, t in enumerate(analysis.tokens) if t.text == "issues")
    assert valences[issues] < 0
    assert _resolved_complaints(analysis, valences) == [issues]
    never = sentiment.analyse("Célest never fixed my issues", "en")
    assert _resolved_complaints(never, list(never.valences)) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Fibrea's speeds are nowhere near what Zest delivers.",
            "en",
            {"Fibrea": "negative", "Zest": "positive"},
        ),
        # The rules read the irony; the model's praise is turned round with them.
        (
            "Merci Célest pour cette magnifique heure d'attente 🙃 Chez Fibrea on m'a répondu "
            "tout de suite.",
            "fr",
            {"Célest": "negative", "Fibrea": "positive"},
        ),
        # The sarcasm emoji ends its clause: what follows it is another brand's.
        (
            "Wow, thanks Nuage, a fourth bill error in a row, you really are the best 🙄 Zest "
            "never did this to me.",
            "en",
            {"Nuage": "negative", "Zest": "positive"},
        ),
        (
            "Both Célest and Fibrea sorted my issues, credit where it's due.",
            "en",
            {"Célest": "positive", "Fibrea": "positive"},
        ),
    ],
)
def test_irony_rankings_and_fixes(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # After a comparison, a brandless `but` clause is said of its subject alone.
        (
            "Fibrea is cheaper than Zest but the upload speed is a joke.",
            "en",
            {"Fibrea": "negative"},
        ),
        # A slow service and a quick one, with no valence word.
        (
            "Nuage a mis trois semaines à envoyer un technicien, Fibrea est venu le lendemain.",
            "fr",
            {"Nuage": "negative", "Fibrea": "positive"},
        ),
        # A regret before the switch turns it round.
        (
            "Je regrette d'avoir quitté Fibrea pour Zest, le réseau est bien moins bon.",
            "fr",
            {"Fibrea": "positive", "Zest": "negative"},
        ),
        (
            "Fibrea's router is a brick. Célest's works out of the box.",
            "en",
            {"Fibrea": "negative", "Célest": "positive"},
        ),
    ],
)
def test_comparison_continued_slow_service_and_regret(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    found = labels(enricher, text, lang)
    assert {b: found[b] for b in expected} == expected
