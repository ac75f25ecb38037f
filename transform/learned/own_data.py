"""The user's own gold labels as sentiment training rows, with a seeded held-back share.

Corrections and unanimous double codes (`core.corrections.gold_sentiment`) label a mention's
sentiment towards one brand; the learned model scores a whole post, so a mention becomes one row
only when every gold label on it agrees (a post praising one brand and blaming another teaches the
post-level model nothing true, and is counted as `conflicting`). The text is read from the
published marts (`fct_mentions`): a mention no longer in the last build is counted as `missing`.

A seeded share of the rows, per language, is held back from training so the new model can be
measured on data like the user's own, against the rules and the model in use before.

The same labels on posts naming several brands are also per-brand pairs (`gold_pairs`, the schema
of `gold/brand_pairs.jsonl`): what the brand-window model and the per-brand reviewer learn from,
a contrast included; whole posts are held back (`hold_back_posts`).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transform.metrics import Scores, score
from transform.sentiment import LABELS

if TYPE_CHECKING:
    from core.config import EcouteConfig
    from core.marts import Marts
    from transform.backends import SentimentBackend

HOLD_BACK_SHARE = 0.2
SEED = 7


@dataclass
class OwnRows:
    """Training rows made of the user's gold labels (`text`, `lang`, `label`, `mention_id`)."""

    rows: list[dict[str, str]] = field(default_factory=list)
    conflicting: int = 0
    missing: int = 0
    by_origin: dict[str, int] = field(default_factory=dict)


def gold_rows(config: EcouteConfig) -> OwnRows:
    """One row per mention whose gold sentiment labels agree, with its text from the marts."""
    from core.corrections import gold_sentiment
    from core.marts import Marts, NoData

    labels: dict[str, set[str]] = {}
    origins: dict[str, set[str]] = {}
    for mention_id, _brand, label, origin in gold_sentiment(config):
        labels.setdefault(mention_id, set()).add(label)
        origins.setdefault(mention_id, set()).add(origin)
    out = OwnRows()
    if not labels:
        return out
    try:
        texts = _texts(Marts(config))
    except NoData:
        out.missing = len(labels)
        return out
    for mention_id in sorted(labels):
        if len(labels[mention_id]) > 1:
            out.conflicting += 1
            continue
        if mention_id not in texts or not texts[mention_id][1].strip():
            out.missing += 1
            continue
        lang, text = texts[mention_id]
        (label,) = labels[mention_id]
        out.rows.append({"mention_id": mention_id, "text": text, "lang": lang, "label": label})
        origin = "correction" if "correction" in origins[mention_id] else "coding"
        out.by_origin[origin] = out.by_origin.get(origin, 0) + 1
    return out


def _texts(marts: Marts) -> dict[str, tuple[str, str]]:
    """Each published mention's (language, text), its title when it has no text."""
    frame = marts.query(
        "select mention_id, lang, coalesce(nullif(text, ''), title) as text from marts.fct_mentions"
    )
    return {
        str(r.mention_id): (str(r.lang or ""), str(r.text or ""))
        for r in frame.itertuples(index=False)
    }


@dataclass
class OwnPairs:
    """Per-brand pairs made of the user's gold labels on posts naming two brands or more."""

    rows: list[dict] = field(default_factory=list)
    missing: int = 0


def gold_pairs(config: EcouteConfig) -> OwnPairs:
    """One pair per (mention, brand) gold label on a mention the last build gave several brands
    (its text from `fct_mentions`, its brands from `fct_brand_mentions`); a label whose mention or
    brand is not in the last build is counted as `missing`."""
    from core.corrections import gold_sentiment
    from core.marts import Marts, NoData

    labels = {(m, b): label for m, b, label, _ in gold_sentiment(config)}
    out = OwnPairs()
    if not labels:
        return out
    marts = Marts(config)
    try:
        text_of = _texts(marts)
        named = marts.query("select distinct mention_id, brand from marts.fct_brand_mentions")
    except NoData:
        out.missing = len(labels)
        return out
    brands_of: dict[str, set[str]] = {}
    for r in named.itertuples(index=False):
        brands_of.setdefault(str(r.mention_id), set()).add(str(r.brand))
    for (mention_id, brand), label in sorted(labels.items()):
        brands = brands_of.get(mention_id, set())
        lang, text = text_of.get(mention_id, ("", ""))
        if brand not in brands or not text.strip():
            out.missing += 1
        elif len(brands) > 1:
            pair = {"post_id": mention_id, "lang": lang, "text": text, "brands": sorted(brands)}
            pair |= {"brand": brand, "label": label, "phenomenon": "own", "split": "train"}
            out.rows.append(pair)
    return out


def hold_back_posts(
    pairs: Sequence[dict], share: float = HOLD_BACK_SHARE, seed: int = SEED
) -> tuple[list[dict], list[dict]]:
    """(training pairs, held-back pairs): `hold_back` over posts, so a post's pairs stay
    together."""
    posts = {p["post_id"]: {"mention_id": p["post_id"], "lang": p["lang"]} for p in pairs}
    _, held_posts = hold_back(list(posts.values()), share, seed)
    held = {p["mention_id"] for p in held_posts}
    return [p for p in pairs if p["post_id"] not in held], [
        p for p in pairs if p["post_id"] in held
    ]


def hold_back(
    rows: Sequence[dict[str, str]], share: float = HOLD_BACK_SHARE, seed: int = SEED
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(training rows, held-back rows): a seeded `share` of each language's rows held back
    (at least one when a language has two rows or more, none when share is 0)."""
    train: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    for lang in sorted({r["lang"] for r in rows}):
        mine = sorted((r for r in rows if r["lang"] == lang), key=lambda r: r.get("mention_id", ""))
        order = list(range(len(mine)))
        random.Random(f"{seed}:{lang}").shuffle(order)
        count = round(len(mine) * share)
        if share > 0 and len(mine) >= 2:
            count = max(1, min(count, len(mine) - 1))
        chosen = set(order[:count])
        held += [r for i, r in enumerate(mine) if i in chosen]
        train += [r for i, r in enumerate(mine) if i not in chosen]
    return train, held


def rows_digest(rows: Sequence[dict[str, str]]) -> str:
    """sha256 of the rows (text, lang, label) in order: recorded in the model's inputs."""
    payload = [[r["text"], r["lang"], r["label"]] for r in rows]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def measure(backend: SentimentBackend, rows: Sequence[dict[str, str]], lang: str) -> Scores:
    """A backend's scores on the rows of one language."""
    mine = [r for r in rows if r["lang"] == lang and r["label"] in LABELS]
    predicted = backend.predict([r["text"] for r in mine], lang)
    return score([r["label"] for r in mine], [p.label for p in predicted])
