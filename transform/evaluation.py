"""Evaluate sentiment labels against a JSONL gold file and store the scores in the warehouse.

`compare` scores several systems on the same rows in one run (the linear model, the rules, plain
TextBlob), per language and per source, with calibration (ECE) for those that give a confidence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import EcouteConfig
from transform.backends import Prediction, load_backend
from transform.enrich import Enricher
from transform.metrics import Scores, expected_calibration_error, score

GOLD_SET = Path(__file__).parent / "gold" / "gold.jsonl"


def read_gold(path: Path) -> list[dict[str, str]]:
    """Rows with `text`, `lang`, `label` (and `source` if given); a bad line raises ValueError."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            kept = {"text": row["text"], "lang": row["lang"], "label": row["label"]}
            if isinstance(row.get("source"), str):
                kept["source"] = row["source"]
            rows.append(kept)
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a gold row ({error})") from None
    return rows


def evaluate(rows: list[dict[str, str]], enricher: Enricher) -> dict[str, Scores]:
    """Scores per language (the gold language is given to the enricher, as in production hints)."""
    results = enricher.enrich([{"text": r["text"], "lang": r["lang"]} for r in rows])
    by_lang: dict[str, tuple[list[str], list[str]]] = {}
    for row, result in zip(rows, results, strict=True):
        gold, predicted = by_lang.setdefault(row["lang"], ([], []))
        gold.append(row["label"])
        predicted.append(result.get("sentiment", {}).get("label", "error"))
    return {lang: score(g, p) for lang, (g, p) in sorted(by_lang.items())}


def evaluation_rows(
    scores: dict[str, Scores], gold_file: str, version: str | None = None
) -> list[dict[str, Any]]:
    run_at = datetime.now(UTC)
    return [
        {
            "run_at": run_at,
            "gold_file": gold_file,
            "enrichment_version": version,
            "lang": lang,
            "n": s.n,
            "accuracy": s.accuracy,
            "macro_f1": s.macro_f1,
            "f1_negative": s.f1.get("negative"),
            "f1_neutral": s.f1.get("neutral"),
            "f1_positive": s.f1.get("positive"),
        }
        for lang, s in scores.items()
    ]


def store(config: EcouteConfig, rows: list[dict[str, Any]]) -> None:
    """Append to `enrichment.evaluation_runs` through the `enrichment` pipeline."""
    from core.loading import LOADER_FILE_FORMAT, make_pipeline

    pipeline = make_pipeline(config, "enrichment", dataset="enrichment")
    pipeline.run(
        rows,
        table_name="evaluation_runs",
        write_disposition="append",
        loader_file_format=LOADER_FILE_FORMAT,
        columns={
            "enrichment_version": {"data_type": "text", "nullable": True},
            **{
                f: {"data_type": "double", "nullable": True}
                for f in ("accuracy", "macro_f1", "f1_negative", "f1_neutral", "f1_positive")
            },
        },
    )


def latest_stored_version(config: EcouteConfig, gold_file: str) -> str | None:
    """The enrichment version of the newest stored run on `gold_file` (None if never stored)."""
    from core import sql_client

    if not sql_client.warehouse_exists(config):
        return None
    with sql_client.connect(config, read_only=True) as con:
        ((found,),) = con.execute(
            "select count(*) from information_schema.columns where table_schema = 'enrichment' "
            "and table_name = 'evaluation_runs' and column_name = 'enrichment_version'"
        )
        if not found:
            return None
        rows = con.execute(
            "select enrichment_version from enrichment.evaluation_runs where gold_file = ? "
            "order by run_at desc limit 1",
            [gold_file],
        )
        row = rows[0] if rows else None
    return row[0] if row else None


def evaluate_gold_once(config: EcouteConfig, version: str) -> dict[str, Scores] | None:
    """Score the shipped gold set and store it, unless this version was already scored on it."""
    if latest_stored_version(config, GOLD_SET.name) == version:
        return None
    enricher = Enricher(
        config.brands, backend=load_backend(config.sentiment.backend), languages=config.languages
    )
    scores = evaluate(read_gold(GOLD_SET), enricher)
    store(config, evaluation_rows(scores, GOLD_SET.name, version))
    return scores


SYSTEMS = ("linear", "rules", "textblob")


@dataclass
class Report:
    """One system's scores on one group of rows; `ece` is None for a system with no confidence."""

    system: str
    group: str
    scores: Scores
    ece: float | None

    def format(self) -> str:
        ece = "n/a" if self.ece is None else f"{self.ece:.3f}"
        return f"{self.system:>8} {self.group} ECE={ece} {self.scores.format()}"


def textblob_predictions(texts: Sequence[str], lang: str) -> list[Prediction]:
    """Plain TextBlob / textblob-fr polarity: > 0 positive, < 0 negative; no confidence."""
    from textblob import TextBlob

    analyzer = None
    if lang == "fr":
        from textblob_fr import PatternAnalyzer

        analyzer = PatternAnalyzer()
    predictions = []
    for text in texts:
        blob = TextBlob(text, analyzer=analyzer) if analyzer else TextBlob(text)
        polarity = float(blob.sentiment[0])
        label = "positive" if polarity > 0 else "negative" if polarity < 0 else "neutral"
        predictions.append(Prediction(label, polarity, float("nan")))
    return predictions


def predict_rows(rows: Sequence[dict[str, str]], system: str) -> list[Prediction]:
    """Predictions of `system` for `rows`, batched per language, in row order."""
    by_lang: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_lang.setdefault(row["lang"], []).append(i)
    backend = None if system == "textblob" else load_backend(system)
    out: list[Prediction | None] = [None] * len(rows)
    for lang, indices in by_lang.items():
        texts = [rows[i]["text"] for i in indices]
        found = (
            textblob_predictions(texts, lang) if backend is None else backend.predict(texts, lang)
        )
        for i, prediction in zip(indices, found, strict=True):
            out[i] = prediction
    return [p for p in out if p is not None]


def _report(system: str, group: str, gold: list[str], found: list[Prediction]) -> Report:
    confidences = [p.confidence for p in found]
    has_confidence = bool(found) and all(c == c for c in confidences)  # NaN: no confidence
    ece = (
        expected_calibration_error(
            confidences, [p.label == g for p, g in zip(found, gold, strict=True)]
        )
        if has_confidence
        else None
    )
    return Report(system, group, score(gold, [p.label for p in found]), ece)


def compare(rows: Sequence[dict[str, str]], systems: Sequence[str] = SYSTEMS) -> list[Report]:
    """Each system per language (`[en]`) and, when rows name sources, per source (`[en/web]`)."""
    reports = []
    for system in systems:
        found = predict_rows(rows, system)
        groups: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(f"[{row['lang']}]", []).append(i)
            if row.get("source"):
                groups.setdefault(f"[{row['lang']}/{row['source']}]", []).append(i)
        for group, indices in sorted(groups.items()):
            gold = [rows[i]["label"] for i in indices]
            reports.append(_report(system, group, gold, [found[i] for i in indices]))
    return reports
