"""`ecoute train sentiment`: which labelled files train which language, and where the model goes.

Training rows: the shared training sets (`shared_sets.TRAINING_SETS`, read from `--data`) plus an
optional extra labelled JSONL/CSV (`text`, `lang`, `label`) and the user's own gold rows from the
corrections store (`own`, see `own_data`; the caller holds a share back to measure). Tuning rows:
`shared_sets.TUNING_SETS`. Every input's sha256 is recorded in `meta.json`; the same inputs and
seed give the same artifact bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from transform import shared_sets
from transform.learned import artifact, training
from transform.learned.own_data import rows_digest
from transform.metrics import expected_calibration_error, score
from transform.sentiment import LABELS

SETTINGS: dict[str, dict[str, Any]] = {
    "en": {"max_features": 60_000, "min_df": 3, "c": 1.0, "dense_weight": 1.0},
    "fr": {"max_features": 30_000, "min_df": 2, "c": 1.0, "dense_weight": 1.0},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_labelled(path: Path) -> list[dict[str, str]]:
    """Rows of a JSONL or CSV file with `text`, `lang`, `label` (one of the three labels)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            raw: list[dict[str, Any]] = list(csv.DictReader(handle))
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        raw = [json.loads(line) for line in lines if line.strip()]
    rows = []
    for number, row in enumerate(raw, 1):
        if row.get("label") not in LABELS or not isinstance(row.get("text"), str):
            raise ValueError(f"{path}: row {number} needs text, lang and a label in {LABELS}")
        rows.append({"text": row["text"], "lang": str(row.get("lang", "")), "label": row["label"]})
    return rows


def train_all(
    data: Path,
    out: Path,
    seed: int = 42,
    extra: Path | None = None,
    langs: tuple[str, ...] = ("en", "fr"),
    say: Callable[[str], None] = print,
    own: Sequence[dict[str, str]] = (),
) -> dict[str, dict[str, float]]:
    """Train, save and measure each language that has rows; returns the tuning figures."""
    extra_rows = read_labelled(extra) if extra else []
    figures: dict[str, dict[str, float]] = {}
    for lang in langs:
        rows: list[dict[str, str]] = []
        inputs: list[dict[str, Any]] = []
        for name in shared_sets.TRAINING_SETS[lang]:
            paths = shared_sets.files(name, data)
            if all(p.is_file() for p in paths):
                rows.extend(shared_sets.load(name, data))
                inputs.extend({"set": name, "file": p.name, "sha256": sha256(p)} for p in paths)
            else:
                say(f"{lang}: training set {name} absent under {data}; skipped")
        mine = [r for r in extra_rows if r["lang"] == lang]
        if extra and mine:
            rows.extend(mine)
            inputs.append({"set": "extra", "file": extra.name, "sha256": sha256(extra)})
        corrected = [r for r in own if r["lang"] == lang]
        if corrected:
            rows.extend(corrected)
            inputs.append(
                {"set": "corrections", "rows": len(corrected), "sha256": rows_digest(corrected)}
            )
        if len({r["label"] for r in rows}) < len(LABELS):
            say(f"{lang}: not enough labelled rows (all three labels needed); not trained")
            continue
        tune_name = shared_sets.TUNING_SETS[lang]
        tune_paths = shared_sets.files(tune_name, data)
        tune = shared_sets.load(tune_name, data) if all(p.is_file() for p in tune_paths) else []
        if tune:
            inputs.extend(
                {"set": tune_name, "file": p.name, "sha256": sha256(p), "use": "tuning"}
                for p in tune_paths
            )
        say(f"{lang}: training on {len(rows):,} rows, tuning on {len(tune):,} (seed {seed})")
        model = training.train(rows, lang, seed, tune, inputs=inputs, **SETTINGS[lang])
        if tune:
            predictions = artifact.predict(model, [r["text"] for r in tune])
            gold = [r["label"] for r in tune]
            result = score(gold, [p[0] for p in predictions])
            ece = expected_calibration_error(
                [p[2] for p in predictions],
                [p[0] == g for p, g in zip(predictions, gold, strict=True)],
            )
            figures[lang] = {"macro_f1": round(result.macro_f1, 4), "ece": round(ece, 4)}
            model.meta["figures"] = {tune_name: figures[lang]}
            say(f"{lang}: {tune_name} macro-F1 {result.macro_f1:.3f}, ECE {ece:.3f}")
        artifact.save(model, out / lang)
        say(f"{lang}: saved to {out / lang}")
    return figures
