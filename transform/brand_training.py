"""The brand-window model: the linear recipe fitted on the windows of brand-tagged posts.

The per-brand step (`transform.targeted`) cuts each brand's window out of a post (its clauses,
brand names masked) and asks a model for the window's label. The post model learnt tweets, which
state feelings; brand windows mostly state what a company did (`refunded in two days`, `three
outages since June`), which tweets rarely label. This model is the same recipe
(`training.train`: n-grams, the rules' features, calibration) fitted on those windows, one per
language, from labelled (post, brand) pairs: `gold/brand_train.jsonl` (written for training) and
the dev split of `gold/brand_pairs.jsonl`; never its test split. Shipped in
`transform/models/brand/<lang>/`; the linear backend scores brand windows with it.

Beside it, the per-brand reviewer (`review.json`, `transform.targeted.review`): a logistic
regression over what the rules resolved from out-of-fold window predictions (the same recipe
fitted on the other folds of posts), the roles and the other brands' labels, fitted on the
same pairs' gold labels.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from core.config import Brand
from transform import sentiment, targeted
from transform.backends import LinearBackend, Prediction
from transform.brand_evaluation import BRAND_PAIRS, read_pairs
from transform.enrich import UNSCORED, Enricher
from transform.learned import artifact, probe, reviewer, training
from transform.learned.recipe import sha256
from transform.targeted import review

Planned = tuple[targeted.TargetPlan, list[dict]]  # one post's plan and its gold pairs

BRAND_TRAIN = BRAND_PAIRS.parent / "brand_train.jsonl"
# Chosen by 5-fold cross-validation grouped by post on `brand_train.jsonl` (see MODEL_CARD.md).
SETTINGS: dict[str, dict[str, Any]] = {
    "en": {"max_features": 20_000, "min_df": 2, "c": 3.0, "dense_weight": 1.0},
    "fr": {"max_features": 20_000, "min_df": 2, "c": 3.0, "dense_weight": 1.0},
}
# The reviewer: out-of-fold predictions from this many folds of posts; its inverse
# regularisation, chosen by 5-fold cross-validation grouped by post (see MODEL_CARD.md).
FOLDS = 5
REVIEWER_C = 0.3


def training_pairs(
    train: Path = BRAND_TRAIN, gold: Path = BRAND_PAIRS
) -> tuple[list[dict], list[dict[str, Any]]]:
    """The pairs the model learns from (every row of `train`, the dev rows of `gold`) and the
    inputs' provenance (file names and sha256; of `gold`, the dev rows' own, so test rows added
    to it change no model)."""
    dev = [r for r in read_pairs(gold) if r["split"] == "dev"]
    inputs = [
        {"set": "brand_train", "file": train.name, "sha256": sha256(train)},
        {"set": "brand_pairs", "file": gold.name, "use": "dev split", "sha256": _digest(dev)},
    ]
    return read_pairs(train) + dev, inputs


def planned_posts(
    pairs: Sequence[dict],
    read_posts: Callable[[list[str], str], list[Prediction]] | None = None,
    catalogue: Sequence[Brand] = (),
) -> list[Planned]:
    """Each post's per-brand plan as the enrichment cuts it (the post's own brands only, as
    `catalogue` defines them, else by name), with its pairs; `read_posts(texts, lang)` gives the
    posts' labels (windows do not depend on them; the reviewer reads them)."""
    defined = {b.name: b for b in catalogue}
    posts: dict[str, list[dict]] = {}
    for pair in pairs:
        posts.setdefault(pair["post_id"], []).append(pair)
    groups = list(posts.values())
    texts = [group[0]["text"] for group in groups]
    planned = []
    for group, text in zip(groups, texts, strict=True):
        lang = group[0]["lang"]
        post = read_posts([text], lang)[0] if read_posts else UNSCORED
        brands = [defined.get(b) or Brand(name=b) for b in group[0]["brands"]]
        enricher = Enricher(brands, with_entities=False)
        found = list(dict.fromkeys(m.brand for m in enricher.matcher.find(text, lang=lang)))
        planned.append((enricher.plan_brands(text, lang, found, post), group))
    return planned


def _rows(planned: Sequence[Planned]) -> list[dict[str, str]]:
    """Each pair's brand window with its gold label; a pair whose brand is not found, or whose
    post names one brand, has none."""
    rows = []
    for target, group in planned:
        for pair in group:
            brand_plan = target.brands.get(pair["brand"])
            if brand_plan is not None:
                window = target.windows[brand_plan.own]
                rows.append({"text": window, "lang": target.lang, "label": pair["label"]})
    return rows


def window_rows(pairs: Sequence[dict]) -> list[dict[str, str]]:
    """Each pair's brand window with its gold label, as the enrichment cuts it."""
    return _rows(planned_posts(pairs))


def fit_reviewer(
    planned: Sequence[Planned], lang: str, seed: int, inputs: list[dict[str, Any]]
) -> reviewer.Reviewer | None:
    """The per-brand reviewer, fitted on each pair's evidence (`review.features`) from window
    predictions out of fold: posts split in `FOLDS` seeded folds, each fold's windows read by
    the recipe trained on the others. None when a fold cannot be trained on (too few labels)."""
    order = list(range(len(planned)))
    random.Random(seed).shuffle(order)
    fold_of = {i: n % FOLDS for n, i in enumerate(order)}
    predictions: dict[int, list[Prediction]] = {}
    for k in range(FOLDS):
        rows = _rows([p for i, p in enumerate(planned) if fold_of[i] != k])
        if len({r["label"] for r in rows}) < len(sentiment.LABELS):
            return None
        model = training.train(rows, lang, seed, inputs=inputs, **SETTINGS[lang])
        for i, (target, _) in enumerate(planned):
            if fold_of[i] == k and target.windows:
                predictions[i] = [Prediction(*p) for p in artifact.predict(model, target.windows)]
    x: list[list[float]] = []
    y: list[str] = []
    for i, predicted in sorted(predictions.items()):
        evidence, labels = _evidence(*planned[i], predicted)
        x += evidence
        y += labels
    if len(set(y)) < len(sentiment.LABELS):
        return None
    matrix = np.asarray(x, dtype=np.float64)
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = LogisticRegression(C=REVIEWER_C, max_iter=5000).fit((matrix - mean) / scale, y)
    return reviewer.Reviewer(
        lang=lang,
        labels=tuple(str(c) for c in fitted.classes_),
        features=review.FEATURES,
        mean=mean,
        scale=scale,
        coef=fitted.coef_.T.copy(),
        intercept=fitted.intercept_.copy(),
        meta={"inputs": inputs, "seed": seed, "c": REVIEWER_C, "folds": FOLDS, "pairs": len(y)},
    )


def _evidence(
    target: targeted.TargetPlan, group: Sequence[dict], predicted: Sequence[Prediction]
) -> tuple[list[list[float]], list[str]]:
    """The evidence (`review.features`) and gold label of each pair whose brand the post plans,
    its windows read as `predicted`."""
    results = targeted.resolve(target, predicted)
    kept = [pair for pair in group if pair["brand"] in target.brands]
    rows = [review.features(target, predicted, pair["brand"], results) for pair in kept]
    return rows, [pair["label"] for pair in kept]


def reviewer_scores(
    posts: LinearBackend, window_model: artifact.LinearModel, fitted: reviewer.Reviewer
) -> tuple[list[str], np.ndarray]:
    """The probe pairs of the reviewer's language (`probe.probe_pairs`, keyed brand + text),
    planned with `posts` reading the posts and `window_model` the windows, and the reviewer's
    probabilities on their evidence: recorded when it is trained, compared by `reviewer_drift`."""
    pairs = probe.probe_pairs(fitted.lang)
    rows = []
    for target, group in planned_posts(pairs, posts.predict):
        if target.windows:
            predicted = [Prediction(*p) for p in artifact.predict(window_model, target.windows)]
            rows += _evidence(target, group, predicted)[0]
    keys = [f"{pair['brand']}\t{pair['text']}" for pair in pairs]
    return keys, fitted.probabilities(rows) if rows else np.zeros((0, len(fitted.labels)))


def reviewer_drift(posts: LinearBackend, lang: str) -> float | None:
    """How far the reviewer of `lang` in `posts`' folder now reads its probe pairs from what it
    read when trained (see `transform.learned.probe`); None when there is none to compare."""
    window_model, fitted = posts.window_model(lang), posts.brand_reviewer(lang)
    if window_model is None or fitted is None:
        return None
    keys, scores = reviewer_scores(posts, window_model, fitted)
    return probe.drift(fitted.meta.get("probe"), keys, scores) if keys else None


def train_all(
    out: Path,
    seed: int = 42,
    langs: tuple[str, ...] = ("en", "fr"),
    say: Callable[[str], None] = print,
    pairs_file: Path | None = None,
    own: Sequence[dict] = (),
    catalogue: Sequence[Brand] = (),
) -> None:
    """Train and save the brand-window model and reviewer of each language to
    `out/brand/<lang>/`, from `pairs_file` (every row) when given, else from the shipped pairs
    (`training_pairs`), and the project's `own` pairs (`own_data.gold_pairs`, their brands as
    `catalogue` defines them); the posts are read by the post models in `out` (else the rules)."""
    if pairs_file is None:
        pairs, inputs = training_pairs()
    else:
        pairs = read_pairs(pairs_file)
        inputs = [{"set": "brand_pairs", "file": pairs_file.name, "sha256": sha256(pairs_file)}]
    if own:
        pairs = pairs + list(own)
        inputs = [*inputs, {"set": "own pairs", "rows": len(own), "sha256": _digest(own)}]
    posts = LinearBackend(out)  # the post models just trained there (else the rules)
    for lang in langs:
        mine = [p for p in pairs if p["lang"] == lang]
        planned = planned_posts(mine, posts.predict, catalogue)
        rows = _rows(planned)
        if len({r["label"] for r in rows}) < len(sentiment.LABELS):
            say(f"{lang}: not enough brand windows (all three labels needed); not trained")
            continue
        say(f"{lang}: brand-window model on {len(rows):,} windows (seed {seed})")
        model = training.train(rows, lang, seed, inputs=inputs, **SETTINGS[lang])
        folder = out / artifact.BRAND_FOLDER / lang
        artifact.save(model, folder)
        say(f"{lang}: per-brand reviewer on {FOLDS} folds of out-of-fold windows")
        fitted = fit_reviewer(planned, lang, seed, inputs)
        if fitted is None:
            (folder / reviewer.FILE).unlink(missing_ok=True)
            say(f"{lang}: too few pairs per fold for the reviewer; none saved")
        else:
            keys, scores = reviewer_scores(posts, model, fitted)
            if keys:
                fitted.meta["probe"] = probe.record(keys, scores)
            reviewer.save(fitted, folder)
        say(f"{lang}: saved to {folder}")


def _digest(pairs: Sequence[dict]) -> str:
    """sha256 of pairs (post, brand, label, text) in order: recorded in the models' inputs."""
    rows = [[p["post_id"], p["brand"], p["label"], p["text"]] for p in pairs]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()
