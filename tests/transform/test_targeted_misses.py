"""The per-brand misses issue 11 names, through the real matcher, rules and shipped linear model."""

from __future__ import annotations

import pytest

from core.config import Brand
from tests.transform.per_brand import labels
from transform import sentiment, targeted
from transform.backends import Prediction, load_backend
from transform.enrich import Enricher

BRANDS = ["Orange", "SFR", "Free", "Bouygues", "Verizon", "AT&T", "Comcast", "Ryanair"]
BACKENDS = ("rules", "linear")


@pytest.fixture(scope="module", params=BACKENDS)
def enricher(request: pytest.FixtureRequest) -> Enricher:
    backend = load_backend(request.param)
    return Enricher([Brand(name=n) for n in BRANDS], backend=backend, with_entities=False)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # The issue's first miss: Orange came out neutral.
        ("I love Orange but SFR is awful.", "en", {"Orange": "positive", "SFR": "negative"}),
        # The part after `mais` weighs more: not negative.
        ("Orange c'est cher mais fiable", "fr", {"Orange": "positive"}),
        # Ironic thanks and emoji sarcasm are not praise.
        ("Thanks Ryanair for the surprise bag fee, made my day 🙃", "en", {"Ryanair": "negative"}),
        ("Great job Comcast, internet down again 🙄", "en", {"Comcast": "negative"}),
        (
            "Merci SFR pour la coupure de trois jours, chez Orange aucun souci",
            "fr",
            {"SFR": "negative", "Orange": "positive"},
        ),
        # Switching read from the verbs, wherever the destination word sits.
        ("J'ai résilié chez SFR pour prendre Free", "fr", {"SFR": "negative", "Free": "positive"}),
        (
            "Cancelled Comcast and signed up for Verizon",
            "en",
            {"Comcast": "negative", "Verizon": "positive"},
        ),
        # A neutral news sentence stays neutral for both brands.
        (
            "Verizon and AT&T announced new plans on Monday.",
            "en",
            {"Verizon": "neutral", "AT&T": "neutral"},
        ),
        # A list shares what follows it; a closing `impeccable` is praise, not sarcasm.
        (
            "Orange et SFR, même combat : des pannes tous les soirs.",
            "fr",
            {"Orange": "negative", "SFR": "negative"},
        ),
        (
            "Orange comme Free m'ont livré la box en 24h, impeccable.",
            "fr",
            {"Orange": "positive", "Free": "positive"},
        ),
    ],
)
def test_issue_misses(enricher: Enricher, text: str, lang: str, expected: dict[str, str]) -> None:
    assert labels(enricher, text, lang) == expected


def test_a_brand_beside_one_blamed_is_its_foil() -> None:
    """`A lost my booking. B sorted it.`: the model reads B's window as neutral; B is A's foil."""
    enricher = Enricher(
        [Brand(name=n) for n in BRANDS], backend=load_backend("linear"), with_entities=False
    )
    got = labels(enricher, "Comcast lost my booking. Verizon sorted it in ten minutes.", "en")
    assert got == {"Comcast": "negative", "Verizon": "positive"}


def test_sarcasm_needs_a_negative_remainder() -> None:
    """A short praise clause flips only when the rest of the window is negative on its own."""
    # (`cut my line` is a service event now, which the rules read: an event they do not read)
    text = "Yay, Orange rang me again. SFR is fine."
    analysis = sentiment.analyse(text, "en")
    spans = {"Orange": [(5, 11)], "SFR": [(27, 30)]}
    post = Prediction("positive", 0.5, 0.6)
    target = targeted.plan(text, analysis, spans, post)
    rest = [k for k in target.remainder if k is not None]
    assert rest, "the praise clause `Yay,` gives Orange's window a remainder"

    def negative_rest(texts: list[str]) -> list[Prediction]:
        return [
            Prediction("negative", -0.8, 0.9) if k in rest else Prediction("positive", 0.6, 0.8)
            for k in range(len(texts))
        ]

    def neutral_rest(texts: list[str]) -> list[Prediction]:
        return [
            Prediction("neutral", 0.0, 0.9) if k in rest else Prediction("positive", 0.6, 0.8)
            for k in range(len(texts))
        ]

    flipped = targeted.resolve(target, negative_rest(target.windows))
    kept = targeted.resolve(target, neutral_rest(target.windows))
    assert flipped["Orange"].prediction.label == "negative"
    assert kept["Orange"].prediction.label == "positive"
