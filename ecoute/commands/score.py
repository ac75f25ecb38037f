"""`ecoute score`: enrich JSON Lines (`text`, optional `id`, `lang`) with the production code
path."""

from __future__ import annotations

import json
from typing import Any

import click

from core.config import load_config

BATCH = 256


def _records(lines: Any) -> Any:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            yield {"__error__": f"line {number}: invalid JSON ({error.msg})"}


@click.command("score")
@click.option(
    "--input",
    "input_",
    type=click.File("r", encoding="utf-8"),
    default="-",
    help="JSON Lines to score (default: stdin).",
)
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write one JSON object per input line (default: stdout).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Project config with the brand rules (default: ./ecoute.yml or ECOUTE_CONFIG).",
)
def score(input_: Any, output: Any, config_path: str | None) -> None:
    """Score posts: language, sentiment, brands (with per-brand sentiment), entities, keywords."""
    from transform.backends import load_backend
    from transform.enrich import Enricher

    config = load_config(config_path)
    enricher = Enricher(
        config.brands, backend=load_backend(config.sentiment.backend), languages=config.languages
    )
    batch: list[Any] = []

    def flush() -> None:
        good = [r for r in batch if not (isinstance(r, dict) and "__error__" in r)]
        results = iter(enricher.enrich(good))
        for record in batch:
            if isinstance(record, dict) and "__error__" in record:
                out: dict[str, Any] = {"id": None, "error": record["__error__"]}
            else:
                out = Enricher.public(next(results))
            output.write(json.dumps(out, ensure_ascii=False, default=str) + "\n")
        batch.clear()

    for record in _records(input_):
        batch.append(record)
        if len(batch) >= BATCH:
            flush()
    flush()
