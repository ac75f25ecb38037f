"""Round six of issue 11's per-brand rules: praise before a complaint only the rules read, the
one left named a sentence before the switch, quick service timed in digits. Sentences written
for these tests, not in the gold set."""

from __future__ import annotations

import pytest

from transform import sentiment, targeted
from transform.backends import Prediction
from transform.enrich import Enricher
from transform.targeted.events import QUICK_VALENCE, service_events

BRANDS = ["Orange", "SFR", "Free", "Verizon", "AT&T", "Monzo", "Barclays"]
NEG, POS = "negative", "positive"


def labels(enricher: Enricher, text: str, lang: str) -> dict[str, str]:
    [result] = enricher.enrich([{"text": text, "lang": lang}])
    return {b["brand"]: b["sentiment"]["label"] for b in result["brands"]}


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
    assert found == {"in" if lang == "en" else "en": QUICK_VALENCE}


def _resolved(text: str, scores: tuple[float, float]) -> dict[str, str]:
    """`resolve` on a plan of `text` given a model that scores its two windows `scores`."""
    analysis = sentiment.analyse(text, "en")
    spans = {b: [(text.index(b), text.index(b) + len(b))] for b in ("Monzo", "Barclays")}
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
    spans = {b: [(text.index(b), text.index(b) + len(b))] for b in ("Monzo", "Barclays")}
    target = targeted.plan(text, analysis, spans, Prediction(sentiment.NEUTRAL, 0.0, 0.5))
    [(k, rest)] = [(k, r) for k, r in enumerate(target.remainder) if r is not None]
    assert target.rules[rest] < 0
    predictions = [Prediction(sentiment.NEUTRAL, 0.0, 0.5) for _ in target.windows]
    predictions[k] = Prediction(sentiment.POSITIVE, 0.8, 0.9)
    predictions[rest] = Prediction(sentiment.POSITIVE, 0.6, 0.7)
    found = targeted.resolve(target, predictions)
    assert found["Monzo"].prediction.label == NEG
