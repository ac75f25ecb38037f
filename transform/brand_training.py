"""The brand-window model: the linear recipe fitted on the windows of brand-tagged posts.

The per-brand step (`transform.targeted`) cuts each brand's window out of a post (its clauses,
brand names masked) and asks a model for the window's label. The post model learnt tweets, which
state feelings; brand windows mostly state what a company did (`refunded in two days`, `three
outages since June`), which tweets rarely label. This model is the same recipe
(`training.train`: n-grams, the rules' features, calibration) fitted on those windows, one per
language, from labelled (post, brand) pairs: `gold/brand_train.jsonl` (written for training) and
the dev split of `gold/brand_pairs.jsonl`; never its test split. Shipped in
`transform/models/brand/<lang>/`; the linear backend scores brand windows with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core.config import Brand
from transform import sentiment
from transform.brand_evaluation import BRAND_PAIRS, read_pairs
from transform.enrich import UNSCORED, Enricher
from transform.learned import artifact, training
from transform.learned.recipe import sha256

BRAND_TRAIN = BRAND_PAIRS.parent / "brand_train.jsonl"
# Chosen by 5-fold cross-validation grouped by post on `brand_train.jsonl` (see MODEL_CARD.md).
SETTINGS: dict[str, dict[str, Any]] = {
    "en": {"max_features": 20_000, "min_df": 2, "c": 3.0, "dense_weight": 1.0},
    "fr": {"max_features": 20_000, "min_df": 2, "c": 3.0, "dense_weight": 1.0},
}


def training_pairs(
    train: Path = BRAND_TRAIN, gold: Path = BRAND_PAIRS
) -> tuple[list[dict], list[dict[str, Any]]]:
    """The pairs the model learns from (every row of `train`, the dev rows of `gold`) and the
    inputs' provenance (file names and sha256)."""
    rows = read_pairs(train) + [r for r in read_pairs(gold) if r["split"] == "dev"]
    inputs = [
        {"set": "brand_train", "file": train.name, "sha256": sha256(train)},
        {"set": "brand_pairs", "file": gold.name, "sha256": sha256(gold), "use": "dev split"},
    ]
    return rows, inputs


def window_rows(pairs: Sequence[dict]) -> list[dict[str, str]]:
    """Each pair's brand window with its gold label, as the enrichment cuts it (the post's own
    brands only); a pair whose brand is not found, or whose post names one brand, has none."""
    posts: dict[str, list[dict]] = {}
    for pair in pairs:
        posts.setdefault(pair["post_id"], []).append(pair)
    rows = []
    for group in posts.values():
        text, lang = group[0]["text"], group[0]["lang"]
        enricher = Enricher([Brand(name=b) for b in group[0]["brands"]], with_entities=False)
        found = list(dict.fromkeys(m.brand for m in enricher.matcher.find(text, lang=lang)))
        # Windows do not depend on the post's label: any will do.
        target = enricher.plan_brands(text, lang, found, UNSCORED)
        for pair in group:
            brand_plan = target.brands.get(pair["brand"])
            if brand_plan is not None:
                window = target.windows[brand_plan.own]
                rows.append({"text": window, "lang": lang, "label": pair["label"]})
    return rows


def train_all(
    out: Path,
    seed: int = 42,
    langs: tuple[str, ...] = ("en", "fr"),
    say: Callable[[str], None] = print,
    pairs_file: Path | None = None,
) -> None:
    """Train and save the brand-window model of each language to `out/brand/<lang>/`, from
    `pairs_file` (every row) when given, else from the shipped pairs (`training_pairs`)."""
    if pairs_file is None:
        pairs, inputs = training_pairs()
    else:
        pairs = read_pairs(pairs_file)
        inputs = [{"set": "brand_pairs", "file": pairs_file.name, "sha256": sha256(pairs_file)}]
    for lang in langs:
        rows = window_rows([p for p in pairs if p["lang"] == lang])
        if len({r["label"] for r in rows}) < len(sentiment.LABELS):
            say(f"{lang}: not enough brand windows (all three labels needed); not trained")
            continue
        say(f"{lang}: brand-window model on {len(rows):,} windows (seed {seed})")
        model = training.train(rows, lang, seed, inputs=inputs, **SETTINGS[lang])
        artifact.save(model, out / artifact.BRAND_FOLDER / lang)
        say(f"{lang}: saved to {out / artifact.BRAND_FOLDER / lang}")
