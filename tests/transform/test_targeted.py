"""Per-brand sentiment on the phenomena of issue 11, through the real rules and brand matcher."""

from __future__ import annotations

import pytest

from core.config import Brand
from tests.transform.per_brand import labels
from transform import sentiment, targeted
from transform.backends import Prediction, RulesBackend
from transform.enrich import Enricher
from transform.targeted.clauses import clause_ranges

BRANDS = ["Orange", "SFR", "Free", "Bouygues", "Verizon", "AT&T", "Aldi", "Tesco", "Comcast"]


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher([Brand(name=n) for n in BRANDS])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # contrast: each side of `but` is its own target, undamped
        ("I love Orange but SFR is awful.", "en", {"Orange": "positive", "SFR": "negative"}),
        (
            "Orange est génial, par contre SFR est nul",
            "fr",
            {"Orange": "positive", "SFR": "negative"},
        ),
        # switching
        ("J'ai quitté SFR pour Free", "fr", {"SFR": "negative", "Free": "positive"}),
        ("Switched from Comcast to Verizon", "en", {"Comcast": "negative", "Verizon": "positive"}),
        # comparatives, `moins` flipping the adjective
        ("Free est moins cher que SFR", "fr", {"Free": "positive", "SFR": "negative"}),
        ("Aldi is cheaper than Tesco", "en", {"Aldi": "positive", "Tesco": "negative"}),
        ("Tesco is worse than Aldi", "en", {"Tesco": "negative", "Aldi": "positive"}),
        (
            "Le réseau Bouygues est plus fiable que SFR",
            "fr",
            {"Bouygues": "positive", "SFR": "negative"},
        ),
        # unlike: the brand set against the clause gets its opposite
        (
            "Unlike Comcast, Verizon is reliable.",
            "en",
            {"Comcast": "negative", "Verizon": "positive"},
        ),
        # a list shares the sentence's valence
        ("Orange et SFR, tous les deux nuls.", "fr", {"Orange": "negative", "SFR": "negative"}),
        # neutral news
        (
            "Orange et Bouygues annoncent un accord de partage de réseau.",
            "fr",
            {"Orange": "neutral", "Bouygues": "neutral"},
        ),
    ],
)
def test_phenomena(enricher: Enricher, text: str, lang: str, expected: dict[str, str]) -> None:
    assert labels(enricher, text, lang) == expected


def test_alors_que_is_a_contrast_not_a_comparative(enricher: Enricher) -> None:
    got = labels(enricher, "Orange est génial alors que SFR est nul", "fr")
    assert got == {"Orange": "positive", "SFR": "negative"}


def test_single_brand_takes_the_post_label_and_its_confidence() -> None:
    text = "Orange c'est super"
    analysis = sentiment.analyse(text, "fr")
    post = Prediction("positive", 0.7, 0.91)
    [(brand, result)] = targeted.brand_sentiments(
        text, analysis, {"Orange": [(0, 6)]}, post
    ).items()
    assert brand == "Orange" and result.prediction == post and result.rule == "post"


def test_clause_confidence_is_lower_when_it_contradicts_the_post() -> None:
    text = "I love Orange but SFR is awful and slow and useless."
    analysis = sentiment.analyse(text, "en")
    spans = {"Orange": [(7, 13)], "SFR": [(18, 21)]}
    [post] = RulesBackend().predict([text], "en")
    got = targeted.brand_sentiments(text, analysis, spans, post)
    assert got["Orange"].prediction.label == "positive" != post.label
    assert got["SFR"].prediction.label == post.label == "negative"
    assert 0 < got["Orange"].prediction.confidence < 1
    assert 0 < got["SFR"].prediction.confidence <= 1


def test_clause_model_scores_every_window_in_one_call_with_brands_masked() -> None:
    text = "Verizon had zero bars all week, AT&T is fine"
    analysis = sentiment.analyse(text, "en")
    spans = {"Verizon": [(0, 7)], "AT&T": [(32, 36)]}
    post = Prediction("neutral", 0.0, 0.6)
    seen: list[list[str]] = []

    def clause_model(texts: list[str]) -> list[Prediction]:
        seen.append(texts)
        return [
            Prediction("negative", -0.6, 0.8) if "zero bars" in t else Prediction("neutral", 0, 0.5)
            for t in texts
        ]

    got = targeted.brand_sentiments(text, analysis, spans, post, clause_model)
    assert len(seen) == 1  # one call for every window of the post
    assert all("Verizon" not in t and "AT&T" not in t for t in seen[0])
    assert got["Verizon"].prediction.label == "negative" and got["Verizon"].rule == "clause"
    assert got["AT&T"].prediction.label != "negative"


def test_clause_ranges_cut_before_multi_word_contrast() -> None:
    text = "Orange est top par contre SFR non"
    cuts = [a for a, _ in clause_ranges(text, "fr")]
    assert text.index("par contre") in cuts


def test_brands_no_clause_tells_apart_share_one_window() -> None:
    text = "Shell and BP posting record profits again. Disgusting."
    analysis = sentiment.analyse(text, "en")
    spans = {"Shell": [(0, 5)], "BP": [(10, 12)]}
    post = Prediction("negative", -0.6, 0.8)
    got = targeted.brand_sentiments(text, analysis, spans, post)
    assert got["Shell"].prediction == got["BP"].prediction
    assert got["Shell"].prediction.label == "negative"
