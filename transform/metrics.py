"""Accuracy, per-class F1, macro-F1 and the confusion matrix for three-way sentiment labels."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from transform.sentiment import LABELS


@dataclass
class Scores:
    n: int
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold → predicted → count

    def format(self) -> str:
        lines = [f"n={self.n} accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f}"]
        lines.append("  f1: " + " ".join(f"{k}={v:.3f}" for k, v in self.f1.items()))
        lines.append("  gold\\pred " + " ".join(f"{p:>9}" for p in LABELS))
        for gold in LABELS:
            row = self.confusion.get(gold, {})
            lines.append(f"  {gold:>9} " + " ".join(f"{row.get(p, 0):>9}" for p in LABELS))
        return "\n".join(lines)


def score(gold: list[str], predicted: list[str]) -> Scores:
    """Macro-F1 over the classes present in the gold labels (a binary set is scored on two)."""
    pairs = Counter(zip(gold, predicted, strict=True))
    classes = [c for c in LABELS if c in set(gold)]
    f1: dict[str, float] = {}
    for c in classes:
        tp = pairs[(c, c)]
        fp = sum(v for (g, p), v in pairs.items() if p == c and g != c)
        fn = sum(v for (g, p), v in pairs.items() if g == c and p != c)
        f1[c] = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    n = len(gold)
    confusion = {g: {p: pairs[(g, p)] for p in LABELS} for g in LABELS}
    return Scores(
        n=n,
        accuracy=sum(pairs[(c, c)] for c in LABELS) / n if n else 0.0,
        macro_f1=sum(f1.values()) / len(f1) if f1 else 0.0,
        f1=f1,
        confusion=confusion,
    )


def expected_calibration_error(
    confidences: list[float], correct: list[bool], bins: int = 10
) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins."""
    n = len(confidences)
    if n == 0:
        return 0.0
    totals: dict[int, list[float]] = {}
    for confidence, right in zip(confidences, correct, strict=True):
        slot = totals.setdefault(min(int(confidence * bins), bins - 1), [0.0, 0.0, 0.0])
        slot[0] += 1
        slot[1] += confidence
        slot[2] += float(right)
    return sum(abs(c - a) for _, c, a in totals.values()) / n
