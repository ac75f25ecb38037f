"""Round six of issue 11's per-brand rules: praise before a complaint only the rules read, the
one left named a sentence before the switch, quick service timed in digits, two windows leaning
apart, an arrow as a switch, no `compared to` in a question, the foil both ways, `never` reaching
further, lukewarm praise beside a culprit. Sentences written for these tests, not in the gold
set."""

from __future__ import annotations

import pytest

from tests.transform.per_brand import labels, spans_of
from transform import sentiment, targeted
from transform.backends import Prediction
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges
from transform.targeted.comparatives import _unlike_against
from transform.targeted.events import QUICK_VALENCE, service_events
from transform.targeted.hedges import lukewarm_beside_a_culprit
from transform.targeted.valences import _never_reaching

BRANDS = ["Orange", "SFR", "Free", "Verizon", "AT&T", "Monzo", "Barclays"]
NEG, POS = "negative", "positive"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Brilliant, Verizon cut my line on a Sunday. AT&T, do you take new customers?", "en", NEG),
        ("Génial, SFR m'a coupé la ligne un dimanche. Free, vous prenez des clients ?", "fr", NEG),
    ],
)
def test_praise_before_a_complaint_the_rules_read_is_sarcasm(
    enricher: Enricher, text: str, lang: str, expected: str
) -> None:
    first = "Verizon" if lang == "en" else "SFR"
    assert labels(enricher, text, lang)[first] == expected


@pytest.mark.parametrize(
    ("text", "lang", "left", "joined"),
    [
        ("Twelve years with Verizon and I'm out. Signed with AT&T today.", "en", "Verizon", "AT&T"),
        ("Douze ans chez Orange, c'est fini. Signé chez Free hier soir.", "fr", "Orange", "Free"),
    ],
)
def test_the_one_left_may_be_named_a_sentence_before_the_switch(
    enricher: Enricher, text: str, lang: str, left: str, joined: str
) -> None:
    assert labels(enricher, text, lang) == {left: NEG, joined: POS}


def test_a_brand_praised_a_sentence_before_a_switch_is_not_the_one_left(
    enricher: Enricher,
) -> None:
    text = "Monzo has been great to me. Signed up with Barclays too for the mortgage."
    assert labels(enricher, text, "en")["Monzo"] != NEG


@pytest.mark.parametrize(
    ("text", "lang"),
    [("they refunded me in 20 minutes", "en"), ("remboursé en 10 minutes", "fr")],
)
def test_quick_service_timed_in_digits(text: str, lang: str) -> None:
    analysis = sentiment.analyse(text, lang)
    found = {analysis.tokens[i].text: v for i, v in service_events(analysis).items() if v}
    # (round seven reads `refunded me` as praise too: only the timing is this test's)
    assert found["in" if lang == "en" else "en"] == QUICK_VALENCE


def _resolved(text: str, scores: tuple[float, float]) -> dict[str, str]:
    """`resolve` on a plan of `text` given a model that scores its two windows `scores`."""
    analysis = sentiment.analyse(text, "en")
    spans = spans_of(text, ("Monzo", "Barclays"))
    post = Prediction(sentiment.NEUTRAL, 0.0, 0.5)
    target = targeted.plan(text, analysis, spans, post)
    assert len(target.windows) == 2 and not any(target.rules)
    predictions = [Prediction(sentiment.NEUTRAL, s, 0.5) for s in scores]
    return {b: r.prediction.label for b, r in targeted.resolve(target, predictions).items()}


def test_two_neutral_windows_leaning_apart_take_their_leans() -> None:
    """Neither window past a threshold, but on opposite sides by a wide gap: set against each
    other. A narrow gap, or both on one side, stays neutral."""
    text = "Monzo replied to my email on Monday. Barclays replied to mine on Friday."
    assert _resolved(text, (0.2, -0.2)) == {"Monzo": POS, "Barclays": NEG}
    assert _resolved(text, (0.1, -0.1)) == {"Monzo": "neutral", "Barclays": "neutral"}
    assert _resolved(text, (0.2, 0.05)) == {"Monzo": "neutral", "Barclays": "neutral"}


def test_praise_first_is_sarcasm_when_only_the_rules_read_the_complaint() -> None:
    """The model may read a complaint as good news (it reads `cut my line on my birthday` so);
    the rules read `charged me twice`. The praise opening the window is sarcasm all the same."""
    text = "Brilliant, Monzo charged me twice this month. Barclays replied to my email."
    analysis = sentiment.analyse(text, "en")
    spans = spans_of(text, ("Monzo", "Barclays"))
    target = targeted.plan(text, analysis, spans, Prediction(sentiment.NEUTRAL, 0.0, 0.5))
    [(k, rest)] = [(k, r) for k, r in enumerate(target.remainder) if r is not None]
    assert target.rules[rest] < 0
    predictions = [Prediction(sentiment.NEUTRAL, 0.0, 0.5) for _ in target.windows]
    predictions[k] = Prediction(sentiment.POSITIVE, 0.8, 0.9)
    predictions[rest] = Prediction(sentiment.POSITIVE, 0.6, 0.7)
    found = targeted.resolve(target, predictions)
    assert found["Monzo"].prediction.label == NEG


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Orange -> SFR for the whole family: half the bill.", "en", {"Orange": NEG, "SFR": POS}),
        ("Verizon → AT&T last week, same phone.", "en", {"Verizon": NEG, "AT&T": POS}),
        (
            "SFR → Free pour toute la famille, facture divisée par deux.",
            "fr",
            {"SFR": NEG, "Free": POS},
        ),
    ],
)
def test_an_arrow_between_two_brands_is_a_switch(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    assert labels(enricher, text, lang) == expected


def test_a_question_sets_nothing_against_the_brand_it_compares_to() -> None:
    for text, lang in (
        ("is verizon worth it compared to at&t? asking for my dad.", "en"),
        ("free, ça vaut le coup par rapport à sfr ? je demande pour ma mère.", "fr"),
    ):
        brand = "at&t" if lang == "en" else "sfr"
        start = text.index(brand)
        clauses = clause_ranges(text, lang)
        named = [{"x"} if a <= start < b else set() for a, b in clauses]
        assert _unlike_against(text, lang, clauses, named, [(start, start + len(brand))]) == []
        asserted = text.replace("?", ".")
        assert _unlike_against(asserted, lang, clauses, named, [(start, start + len(brand))])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Verizon put the router in on Monday. AT&T never showed up and nobody called back.",
            "en",
            {"Verizon": POS, "AT&T": NEG},
        ),
        (
            "Orange a installé la box lundi. SFR n'est jamais venu et personne n'a rappelé.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
    ],
)
def test_a_brand_said_nothing_of_before_one_blamed_is_its_foil(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    """In a post about two brands the foil works both ways, not only for the one named after."""
    assert labels(enricher, text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Orange is fine, nothing special. SFR's app crashes every single day.", "en"),
        ("Orange, c'est correct sans plus. L'appli SFR plante tous les jours.", "fr"),
    ],
)
def test_a_limited_window_is_no_foil(enricher: Enricher, text: str, lang: str) -> None:
    assert labels(enricher, text, lang)["Orange"] == "neutral"


def test_never_denies_a_complaint_further_on_in_its_clause() -> None:
    analysis = sentiment.analyse("Monzo has never given me any trouble", "en")
    [i] = _never_reaching("Monzo has never given me any trouble", analysis)
    assert analysis.tokens[i].text == "trouble"
    for text in ("Monzo never answers and the app crashes", "never again, the app crashes"):
        assert not _never_reaching(text, sentiment.analyse(text, "en"))


@pytest.mark.parametrize(
    ("text", "lang", "lukewarm"),
    [
        (
            "The Verizon phone was fine. The AT&T store staff were the problem, an hour for a SIM.",
            "en",
            "Verizon",
        ),
        (
            "Forfait Orange correct. Le problème c'était la boutique SFR, une heure pour une SIM.",
            "fr",
            "Orange",
        ),
    ],
)
def test_lukewarm_praise_beside_a_culprit_is_neutral(
    enricher: Enricher, text: str, lang: str, lukewarm: str
) -> None:
    assert labels(enricher, text, lang)[lukewarm] == "neutral"
    assert lukewarm_beside_a_culprit(text, sentiment.analyse(text, lang))
    alone = text.split(". ")[0] + "."
    assert not lukewarm_beside_a_culprit(alone, sentiment.analyse(alone, lang))


def test_a_clause_cut_from_a_question_is_asked() -> None:
    """`compared to` cuts a clause; the part before it still belongs to the question."""
    text = "Is Verizon worth it compared to AT&T? Asking for my dad."
    spans = spans_of(text, ("Verizon", "AT&T"))
    post = Prediction(sentiment.NEUTRAL, 0.0, 0.5)
    target = targeted.plan(text, sentiment.analyse(text, "en"), spans, post)
    own = target.brands["Verizon"].own
    assert "?" not in target.windows[own]
    assert target.question[own]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Back to Verizon after two years on AT&T, for the coverage at home.",
            "en",
            {"Verizon": POS, "AT&T": NEG},
        ),
        (
            "Revenue chez Orange après deux ans chez SFR, pour le réseau à la maison.",
            "fr",
            {"Orange": POS, "SFR": NEG},
        ),
    ],
)
def test_the_one_left_may_be_named_after_the_return(
    enricher: Enricher, text: str, lang: str, expected: dict[str, str]
) -> None:
    """`Back to A after a year on B`: B, behind `after … on`, is the one left."""
    assert labels(enricher, text, lang) == expected
