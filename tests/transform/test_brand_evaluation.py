"""The shipped two-brand set is well formed, and targeted labels beat the post's label on it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from transform import brand_evaluation
from transform.brand_evaluation import BRAND_PAIRS, evaluate_brand_pairs, read_pairs

PHENOMENA = {"contrast", "switch", "comparative", "list", "irony", "news", "plain", "mixed"}


def test_the_set_covers_both_languages_every_phenomenon_and_both_splits() -> None:
    rows = read_pairs()
    assert len(rows) >= 300
    by_lang = Counter(r["lang"] for r in rows)
    assert set(by_lang) == {"en", "fr"} and min(by_lang.values()) >= 0.4 * len(rows)
    assert {r["phenomenon"] for r in rows} == PHENOMENA
    assert {(r["lang"], r["split"], r["phenomenon"]) for r in rows} >= {
        (lang, split, p) for lang in ("en", "fr") for split in ("dev", "test") for p in PHENOMENA
    }
    assert {r["label"] for r in rows} == {"positive", "negative", "neutral"}
    assert len({r["brand"] for r in rows}) >= 100
    for r in rows:
        assert r["brand"] in r["brands"] and r["brand"] in r["text"]
    # one split per post, never half a post in each
    splits: dict[str, str] = {}
    for r in rows:
        assert splits.setdefault(r["post_id"], r["split"]) == r["split"]


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    good = BRAND_PAIRS.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + "\n" + json.dumps({"text": "no brand"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.jsonl:2"):
        read_pairs(path)


@pytest.mark.slow
def test_targeted_beats_the_post_label_on_multi_brand_posts() -> None:
    results = brand_evaluation.predict_pairs(read_pairs())
    multi = [r for r in results if r.phenomenon not in ("plain", "news")]
    targeted = sum(r.targeted == r.gold for r in multi) / len(multi)
    post = sum(r.post == r.gold for r in multi) / len(multi)
    assert targeted > post + 0.1
    scores, table = evaluate_brand_pairs()
    assert {("en", "dev"), ("en", "test"), ("fr", "dev"), ("fr", "test")} == set(scores)
    assert "comparative" in table and "targeted" in table
    assert "batch k" in table and "batch -" in table  # an unseen batch's own figure, in aggregate
    by_batch = brand_evaluation.scores_by(results, by_batch=True)
    assert sum(pair["targeted"].n for pair in by_batch.values()) == len(results)


def test_a_pair_s_batch_is_the_letter_after_its_language() -> None:
    assert [brand_evaluation.batch_of(i) for i in ("en-k012", "fr-d001", "en-085")] == [
        "k",
        "d",
        "-",
    ]


def _result(gold: str, found: str, confidence: float) -> brand_evaluation.PairResult:
    return brand_evaluation.PairResult(
        "en", "test", "plain", "k", "A", gold, found, found, confidence
    )


def test_calibration_is_the_gap_between_confidence_and_accuracy() -> None:
    right = [_result("positive", "positive", 0.95) for _ in range(4)]
    wrong = [_result("negative", "positive", 0.95) for _ in range(4)]
    assert brand_evaluation.calibration_by(right)[("en", "test")] == pytest.approx(0.05)
    assert brand_evaluation.calibration_by(right + wrong)[("en", "test")] == pytest.approx(0.45)
    table = brand_evaluation.report(right + wrong)
    assert "targeted ECE" in table.splitlines()[0] and "0.450" in table.splitlines()[1]
