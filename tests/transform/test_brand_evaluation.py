"""The shipped two-brand set is well formed, and targeted labels beat the post's label on it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecoute.commands.evaluate import evaluate
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


def _pairs_file(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


EN = "Love the Nuage network, but Zest customer service is awful."
FR = "J'ai quitté Zest pour Nuage : meilleur réseau, forfait moins cher."
USER_PAIRS = [
    {"lang": "en", "text": EN, "brand": "Nuage", "label": "positive"},
    {"lang": "en", "text": EN, "brand": "Zest", "label": "negative"},
    {"lang": "fr", "text": FR, "brand": "Zest", "label": "negative"},
    {"lang": "fr", "text": FR, "brand": "Nuage", "label": "positive"},
]


def test_a_users_pairs_file_needs_only_lang_text_brand_and_label(tmp_path: Path) -> None:
    rows = read_pairs(_pairs_file(tmp_path / "mine.jsonl", USER_PAIRS))
    assert [r["brands"] for r in rows] == [["Nuage", "Zest"]] * 2 + [["Zest", "Nuage"]] * 2
    assert rows[0]["post_id"] == rows[1]["post_id"] != rows[2]["post_id"]
    assert {(r["split"], r["phenomenon"]) for r in rows} == {("test", "-")}
    bad = _pairs_file(tmp_path / "bad.jsonl", [USER_PAIRS[0], USER_PAIRS[1] | {"label": "pos"}])
    with pytest.raises(ValueError, match=r"bad.jsonl:2: label 'pos'"):
        read_pairs(bad)


def test_evaluate_scores_a_pairs_file_with_the_backend_and_the_rules(tmp_path: Path) -> None:
    pairs = _pairs_file(tmp_path / "mine.jsonl", USER_PAIRS)
    config = Path(__file__).resolve().parents[2] / "ecoute.yml"
    args = ["--brand-pairs", str(pairs), "--config", str(config)]
    result = CliRunner().invoke(evaluate, args)
    assert result.exit_code == 0, result.output
    assert "per-brand sentiment (linear, mine.jsonl, 4 pairs)" in result.output
    assert "per-brand sentiment (rules, mine.jsonl, 4 pairs)" in result.output
    # The pairs only: neither the shipped gold set nor the shipped two-brand set is scored.
    assert "gold" not in result.output and "brand_pairs.jsonl" not in result.output
    # The brands as the project defines them (bare "Nuage" and "Zest" need a telecom word
    # near): found in both posts; each table, both languages, every pair right.
    assert result.output.count("1.000 / 1.000") >= 8
