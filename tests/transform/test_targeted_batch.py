"""Per-brand windows inside `Enricher`: one backend call per batch, and failures kept local."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from core.config import Brand
from transform import targeted
from transform.backends import Prediction, load_backend
from transform.enrich import Enricher

BRANDS = ["Orange", "SFR", "Verizon", "AT&T"]
TEXTS = ["I love Orange but SFR is awful.", "Verizon is fine, AT&T dropped my calls."]


class Counting:
    """The shipped linear model, counting calls; `short` drops the last label of window calls."""

    name = "counting"

    def __init__(self, short: bool = False) -> None:
        self.calls: list[int] = []
        self.short = short
        self.inner = load_backend("linear")

    def fingerprint(self) -> str:
        return "counting"

    def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        self.calls.append(len(texts))
        found = self.inner.predict(texts, lang)
        return found[:-1] if self.short and len(self.calls) > 1 else found


def labels(result: dict) -> dict[str, str]:
    return {b["brand"]: b["sentiment"]["label"] for b in result["brands"]}


def test_windows_of_a_batch_go_to_the_backend_in_one_call() -> None:
    backend = Counting()
    enricher = Enricher([Brand(name=n) for n in BRANDS], backend=backend, with_entities=False)
    results = enricher.enrich([{"text": t, "lang": "en"} for t in TEXTS])
    assert len(backend.calls) == 2  # the posts' labels, then every brand window at once
    assert backend.calls[1] >= 4
    assert labels(results[0]) == {"Orange": "positive", "SFR": "negative"}


def test_a_backend_miscounting_windows_leaves_the_rules_to_score_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    enricher = Enricher(
        [Brand(name=n) for n in BRANDS], backend=Counting(short=True), with_entities=False
    )
    with caplog.at_level(logging.ERROR):
        results = enricher.enrich([{"text": t, "lang": "en"} for t in TEXTS])
    assert "brand windows; rules used" in caplog.text
    assert labels(results[0]) == {"Orange": "positive", "SFR": "negative"}
    assert {b["sentiment_rule"] for r in results for b in r["brands"]} <= {"clause", "unlike"}


def test_a_post_whose_planning_fails_keeps_the_post_label(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug on one post's windows is logged; that post's brands take its label, others go on."""
    real = targeted.plan

    def failing(text: str, *args: object, **kwargs: object) -> targeted.TargetPlan:
        if text.startswith("Verizon"):
            raise RuntimeError("boom")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(targeted, "plan", failing)
    enricher = Enricher([Brand(name=n) for n in BRANDS], with_entities=False)
    with caplog.at_level(logging.ERROR):
        first, second = enricher.enrich([{"text": t, "lang": "en"} for t in TEXTS])
    assert "per-brand sentiment failed" in caplog.text
    assert labels(first) == {"Orange": "positive", "SFR": "negative"}
    assert {b["sentiment_rule"] for b in second["brands"]} == {"post"}
    assert {b["sentiment"]["label"] for b in second["brands"]} == {second["sentiment"]["label"]}
