"""A model's reading of fixed probe texts, recorded when it is trained.

A learned model reads the rule engine's outputs and the text's terms as features. When later code
computes them otherwise (a lexicon entry, a rule, a tokeniser change), a shipped model goes on
reading features it was not trained on, and nothing fails: its figures just drift. The probe tells:
the same texts (the first posts of each language of the shipped `gold/brand_train.jsonl`, written
for this project) read again by the same model must give the recorded scores (`drift`). The load
of a model and `ecoute train check` compare them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

PROBE_SOURCE = Path(__file__).resolve().parents[1] / "gold" / "brand_train.jsonl"
PROBE_POSTS = 60  # posts per language: every rule family appears in the first sixty
TOLERANCE = 1e-6  # recorded and current scores differ by float noise at most
DIGITS = 9


def probe_pairs(lang: str, source: Path = PROBE_SOURCE) -> list[dict]:
    """The (post, brand) rows of the first `PROBE_POSTS` posts of `lang` in `source` (none
    when the file is absent, as in a trimmed install)."""
    return list(_first_posts(lang, source))


@cache
def _first_posts(lang: str, source: Path) -> tuple[dict, ...]:
    """`probe_pairs`, read once per process (every model load and training asks for them)."""
    if not source.is_file():
        return ()
    rows, posts = [], set[str]()
    for line in source.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if not row or row.get("lang") != lang:
            continue
        if row["post_id"] not in posts and len(posts) == PROBE_POSTS:
            break
        posts.add(row["post_id"])
        rows.append(row)
    return tuple(rows)


def probe_texts(lang: str, source: Path = PROBE_SOURCE) -> list[str]:
    """The distinct texts of the probe posts of `lang`, in file order."""
    return list(dict.fromkeys(row["text"] for row in probe_pairs(lang, source)))


def texts_digest(texts: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(texts), ensure_ascii=False).encode("utf-8")).hexdigest()


def record(texts: Sequence[str], scores: np.ndarray) -> dict[str, Any]:
    """What goes into a model's meta: the probe texts' digest and the scores read on them."""
    return {
        "source": PROBE_SOURCE.name,
        "texts_sha256": texts_digest(texts),
        "scores": np.round(np.asarray(scores, dtype=np.float64), DIGITS).tolist(),
    }


def drift(
    recorded: dict[str, Any] | None, texts: Sequence[str], scores: np.ndarray
) -> float | None:
    """The largest difference between the recorded scores and `scores` read now on `texts`;
    None when nothing was recorded or the probe texts are not those recorded (no comparison)."""
    if not recorded or recorded.get("texts_sha256") != texts_digest(texts):
        return None
    before = np.asarray(recorded.get("scores", []), dtype=np.float64)
    now = np.round(np.asarray(scores, dtype=np.float64), DIGITS)
    if before.shape != now.shape:
        return float("inf")
    return float(np.abs(before - now).max()) if now.size else 0.0
