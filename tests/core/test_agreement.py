"""Agreement statistics against published worked examples."""

import math
from pathlib import Path

import pytest

from core.agreement import (
    Code,
    Scale,
    agreement,
    format_table,
    read_codes,
    scales,
    variable_agreement,
)
from core.codebook import load_codebook

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, values 1-5, "." = missing. Published: nominal 0.743, ordinal 0.815.
KRIPPENDORFF_2011 = {
    "A": "1 2 3 3 2 1 4 1 2 . . .",
    "B": "1 2 3 3 2 2 4 1 2 5 . 3",
    "C": ". 3 3 3 2 3 4 2 2 5 1 .",
    "D": "1 2 3 3 2 4 4 1 2 5 1 .",
}
SCALE_1_5 = ("1", "2", "3", "4", "5")


def _codes(matrix: dict[str, str], variable: str = "v") -> list[Code]:
    return [
        Code(f"unit{j + 1:02d}", coder, variable, None if value == "." else value)
        for coder, row in matrix.items()
        for j, value in enumerate(row.split())
    ]


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815)])
def test_alpha_matches_krippendorff_2011(level: str, published: float) -> None:
    result = variable_agreement("v", _codes(KRIPPENDORFF_2011), Scale(level, SCALE_1_5), 200)  # type: ignore[arg-type]
    assert round(result.alpha, 3) == published
    assert result.items == 11  # unit 12 has one value only: not pairable
    assert result.ci_low <= result.alpha <= result.ci_high


def test_bootstrap_is_seeded() -> None:
    codes = _codes(KRIPPENDORFF_2011)
    first = variable_agreement("v", codes, Scale("nominal", SCALE_1_5), 300, seed=7)
    again = variable_agreement("v", codes, Scale("nominal", SCALE_1_5), 300, seed=7)
    other = variable_agreement("v", codes, Scale("nominal", SCALE_1_5), 300, seed=8)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)


def test_kappa_matches_the_textbook_two_by_two() -> None:
    # 50 items: both yes 20, A yes / B no 5, A no / B yes 10, both no 15 → p_o 0.7, p_e 0.5, κ 0.4
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    codes = [Code(f"i{n}", "a", "r", a) for n, (a, _) in enumerate(pairs)]
    codes += [Code(f"i{n}", "b", "r", b) for n, (_, b) in enumerate(pairs)]
    result = variable_agreement("r", codes, Scale("nominal", ("yes", "no")), 50)
    assert result.kappa[("a", "b")] == pytest.approx(0.4)
    assert result.confusion[("a", "b")] == [[20, 5], [10, 15]]
    assert len(result.disagreements) == 15


def test_disagreements_and_table() -> None:
    codes = [
        Code("m1", "alice", "sentiment", "positive"),
        Code("m1", "bob", "sentiment", "positive"),
        Code("m2", "alice", "sentiment", "negative"),
        Code("m2", "bob", "sentiment", "neutral"),
        Code("m3", "alice", "sentiment", "neutral"),
        Code("m3", "bob", "sentiment", None),
        Code("m1", "alice", "relevance", "about"),
        Code("m1", "bob", "relevance", "about"),
    ]
    book = scales(load_codebook(Path(__file__).resolve().parents[2] / "codebook.yml"))
    results = agreement(codes, book, samples=50)
    assert [r.variable for r in results] == ["sentiment", "relevance"]
    sentiment = results[0]
    assert sentiment.items == 2
    assert [(d.item, d.values) for d in sentiment.disagreements] == [
        ("m2", {"alice": "negative", "bob": "neutral"})
    ]
    assert math.isnan(results[1].alpha)  # one value only: nothing to agree on
    text = format_table(results)
    assert "sentiment m2: alice=negative, bob=neutral" in text
    assert "to adjudicate: 1" in text


def test_unknown_value_or_variable_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the codebook"):
        agreement([Code("m", "a", "v", "7")], {"v": Scale("nominal", SCALE_1_5)})
    with pytest.raises(ValueError, match=r"\['mood'\]"):
        agreement([Code("m", "a", "mood", "1")], {"v": Scale("nominal", SCALE_1_5)})


def test_read_codes(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("item,coder,variable,value\nm1,alice,sentiment,positive\nm1,bob,sentiment,\n")
    assert read_codes(path) == [
        Code("m1", "alice", "sentiment", "positive"),
        Code("m1", "bob", "sentiment", None),
    ]
    (tmp_path / "bad.csv").write_text("item,coder,value\n")
    with pytest.raises(ValueError, match="variable"):
        read_codes(tmp_path / "bad.csv")
