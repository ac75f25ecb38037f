"""Training of the linear model per language (scikit-learn; never imported at inference).

Recipe, deterministic for the same rows and seed: vocabulary of the most frequent n-grams (ties by
term), sublinear tf-idf, standardised rule features, multinomial logistic regression (lbfgs). A
seeded `CALIBRATION_SHARE` of the training rows is held out: a first model fitted without them
gives their logits, on which the softmax temperature is fitted (calibration never sees the tuning
set). The final model is refitted on every training row with that temperature. Decision offsets
(log-odds shifts of negative and positive against neutral) are chosen for macro-F1 on the tuning
rows when given, else on the held-out rows.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from transform.learned import artifact, features
from transform.metrics import score
from transform.sentiment import LABELS

CALIBRATION_SHARE = 0.15
OFFSET_GRID = tuple(round(-1.0 + 0.1 * i, 1) for i in range(21))
TEMPERATURE_GRID = tuple(round(0.3 + 0.01 * i, 2) for i in range(371))


def vocabulary(
    texts: Sequence[str], max_features: int, min_df: int
) -> tuple[dict[str, int], np.ndarray]:
    """The `max_features` n-grams in most documents (at least `min_df`) and their idf."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(features.sparse_terms(features.normalise(text))))
    kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))
    kept = sorted(kept[:max_features])
    n = len(texts)
    idf = np.asarray([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float64)
    return {t: j for j, t in enumerate(kept)}, idf


def _design(
    texts: Sequence[str],
    lang: str,
    vocab: dict[str, int],
    idf: np.ndarray,
    mean: np.ndarray,
    scale: np.ndarray,
    dense_weight: float,
) -> sparse.csr_matrix:
    words = artifact.sparse_matrix(texts, vocab, idf)
    dense = (artifact.dense_matrix(texts, lang) - mean) / scale * dense_weight
    return sparse.hstack([words, sparse.csr_matrix(dense)], format="csr")


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float, seed: int) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=2000, tol=1e-6, random_state=seed)
    return model.fit(x, y)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The grid temperature minimising the negative log-likelihood of the held-out rows."""
    best, best_nll = 1.0, math.inf
    for t in TEMPERATURE_GRID:
        probs = artifact.softmax(logits / t)
        nll = -float(np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, None))))
        if nll < best_nll - 1e-12:
            best, best_nll = t, nll
    return best


def choose_offsets(probs: np.ndarray, gold: Sequence[str]) -> np.ndarray:
    """Negative/positive log-odds shifts (neutral fixed at 0) with the best macro-F1."""
    labels = list(LABELS)
    best = (np.zeros(len(labels)), -1.0)
    for neg in OFFSET_GRID:
        for pos in OFFSET_GRID:
            offsets = np.asarray([neg, 0.0, pos])
            predicted = [p[0] for p in artifact.decide(labels, probs, offsets)]
            f1 = score(list(gold), predicted).macro_f1
            # Prefer the smaller shift on ties: it is the less tuned choice.
            if f1 > best[1] + 1e-9 or (
                abs(f1 - best[1]) <= 1e-9 and abs(neg) + abs(pos) < float(np.abs(best[0]).sum())
            ):
                best = (offsets, f1)
    return best[0]


def train(
    rows: Sequence[dict[str, str]],
    lang: str,
    seed: int,
    tune: Sequence[dict[str, str]] = (),
    max_features: int = 60_000,
    min_df: int = 2,
    c: float = 1.0,
    dense_weight: float = 1.0,
    inputs: Sequence[dict[str, Any]] = (),
) -> artifact.LinearModel:
    """A calibrated linear model of `lang` from labelled `rows` (`text`, `label`)."""
    labels = list(LABELS)
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    held = set(order[: max(1, int(len(rows) * CALIBRATION_SHARE))])
    texts = [r["text"] for r in rows]
    y = np.asarray([labels.index(r["label"]) for r in rows])
    fit_idx = [i for i in range(len(rows)) if i not in held]
    cal_idx = sorted(held)

    def build(indices: list[int]) -> artifact.LinearModel:
        chosen = [texts[i] for i in indices]
        vocab, idf = vocabulary(chosen, max_features, min_df)
        dense = artifact.dense_matrix(chosen, lang)
        mean = dense.mean(axis=0)
        scale = dense.std(axis=0)
        scale[scale < 1e-6] = 1.0  # a constant feature (float noise aside) stays unscaled
        fitted = _fit(
            _design(chosen, lang, vocab, idf, mean, scale, dense_weight), y[indices], c, seed
        )
        coef = fitted.coef_.T  # (V + D) × K, classes in `labels` order (0, 1, 2)
        return artifact.LinearModel(
            lang=lang,
            labels=tuple(labels),
            vocabulary=vocab,
            idf=idf,
            sparse_coef=np.ascontiguousarray(coef[: len(vocab)]),
            dense_coef=np.ascontiguousarray(coef[len(vocab) :] * dense_weight),
            intercept=fitted.intercept_.copy(),
            dense_mean=mean,
            dense_scale=scale,
            offsets=np.zeros(len(labels)),
        )

    first = build(fit_idx)
    temperature = fit_temperature(artifact.logits(first, [texts[i] for i in cal_idx]), y[cal_idx])
    model = build(list(range(len(rows))))
    model.temperature = temperature
    if tune:
        probs = artifact.probabilities(model, [r["text"] for r in tune])
        model.offsets = choose_offsets(probs, [r["label"] for r in tune])
    else:
        first.temperature = temperature
        probs = artifact.probabilities(first, [texts[i] for i in cal_idx])
        model.offsets = choose_offsets(probs, [labels[y[i]] for i in cal_idx])
    model.meta = {
        "seed": seed,
        "rows": len(rows),
        "classes": dict(sorted(Counter(r["label"] for r in rows).items())),
        "calibration_rows": len(cal_idx),
        "tuning_rows": len(tune),
        "settings": {
            "max_features": max_features,
            "min_df": min_df,
            "C": c,
            "dense_weight": dense_weight,
        },
        "inputs": list(inputs),
        "versions": {p: version(p) for p in ("numpy", "scipy", "scikit-learn")},
    }
    model.meta["probe"] = artifact.probe_record(model)
    return model
