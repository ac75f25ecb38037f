"""The per-brand reviewer's artifact: a small multinomial logistic regression, stored as JSON.

The per-brand step's rules turn the brand-window model's predictions into each brand's label
(`transform.targeted.labels`); the reviewer reads what they saw (the window's prediction, the
rule that decided, the roles, the other brands' labels: `transform.targeted.review.FEATURES`) and
gives the label again, with a probability. `review.json` sits beside the brand-window model in
`transform/models/brand/<lang>/`: feature names, their mean and scale, coefficients, intercepts
(plain floats, loadable whatever scikit-learn becomes). Fitted by `transform.brand_training`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from transform.learned.artifact import REVIEW_FILE as FILE
from transform.learned.artifact import ArtifactError

FORMAT = 1


@dataclass(frozen=True)
class Reviewer:
    """Scaled features → softmax over `labels` (coef: features × labels)."""

    lang: str
    labels: tuple[str, ...]
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """N×K class probabilities of N feature rows (in `features` order)."""
        x = (np.asarray(rows, dtype=np.float64) - self.mean) / self.scale
        z = x @ self.coef + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def save(reviewer: Reviewer, folder: Path) -> None:
    """Write `folder/review.json` (created), deterministically."""
    folder.mkdir(parents=True, exist_ok=True)
    body = {
        **reviewer.meta,
        "format": FORMAT,
        "lang": reviewer.lang,
        "labels": list(reviewer.labels),
        "features": list(reviewer.features),
        "mean": reviewer.mean.tolist(),
        "scale": reviewer.scale.tolist(),
        "coef": reviewer.coef.tolist(),
        "intercept": reviewer.intercept.tolist(),
    }
    text = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (folder / FILE).write_text(text, encoding="utf-8")


def load(folder: Path, lang: str) -> Reviewer | None:
    """The reviewer in `folder/lang`, None when there is none; ArtifactError when unusable."""
    path = folder / lang / FILE
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        labels, names = tuple(body["labels"]), tuple(body["features"])
        arrays = {
            k: np.asarray(body[k], dtype=np.float64) for k in ("mean", "scale", "coef", "intercept")
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ArtifactError(f"{path}: unreadable ({error})") from None
    if body.get("format") != FORMAT:
        raise ArtifactError(f"{path}: format {body.get('format')!r}, expected {FORMAT}")
    f, k = len(names), len(labels)
    shapes = {"mean": (f,), "scale": (f,), "coef": (f, k), "intercept": (k,)}
    wrong = [n for n, shape in shapes.items() if arrays[n].shape != shape]
    if wrong or {"positive", "negative", "neutral"} != set(labels) or not np.all(arrays["scale"]):
        raise ArtifactError(f"{path}: inconsistent {', '.join(wrong) or 'labels or scale'}")
    meta = {k: v for k, v in body.items() if k not in (*shapes, "labels", "features", "lang")}
    return Reviewer(lang, labels, names, meta=meta, **arrays)
