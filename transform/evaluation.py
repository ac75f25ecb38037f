"""Evaluate sentiment labels against a JSONL gold file and store the scores in the warehouse."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import EcouteConfig
from transform.enrich import Enricher
from transform.metrics import Scores, score

GOLD_SET = Path(__file__).parent / "gold" / "gold.jsonl"


def read_gold(path: Path) -> list[dict[str, str]]:
    """Rows with `text`, `lang`, `label`; a malformed line raises ValueError naming it."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append({"text": row["text"], "lang": row["lang"], "label": row["label"]})
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
    from core import warehouse

    if not warehouse.duckdb_path(config).exists():
        return None
    with warehouse.connect(config, read_only=True) as con:
        ((found,),) = con.execute(
            "select count(*) from information_schema.columns where table_schema = 'enrichment' "
            "and table_name = 'evaluation_runs' and column_name = 'enrichment_version'"
        ).fetchall()
        if not found:
            return None
        row = con.execute(
            "select enrichment_version from enrichment.evaluation_runs where gold_file = ? "
            "order by run_at desc limit 1",
            [gold_file],
        ).fetchone()
    return row[0] if row else None


def evaluate_gold_once(config: EcouteConfig, version: str) -> dict[str, Scores] | None:
    """Score the shipped gold set and store it, unless this version was already scored on it."""
    if latest_stored_version(config, GOLD_SET.name) == version:
        return None
    scores = evaluate(read_gold(GOLD_SET), Enricher(config.brands))
    store(config, evaluation_rows(scores, GOLD_SET.name, version))
    return scores
