"""`ecoute evaluate`: accuracy, macro-F1 and confusion matrix per language on a JSONL gold file."""

from __future__ import annotations

from pathlib import Path

import click

from ecoute.config import load_config


@click.command("evaluate")
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSONL with text, lang, label (default: the gold set shipped in transform/gold).",
)
@click.option(
    "--store/--no-store",
    default=False,
    help="Append the scores to enrichment.evaluation_runs in the warehouse.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Project config (brands, warehouse).",
)
def evaluate(gold: Path | None, store: bool, config_path: str | None) -> None:
    """Evaluate the sentiment rules against labelled posts."""
    from transform import evaluation
    from transform.enrich import Enricher

    config = load_config(config_path)
    path = gold or evaluation.GOLD_SET
    try:
        rows = evaluation.read_gold(path)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    scores = evaluation.evaluate(rows, Enricher(config.brands))
    for lang, result in scores.items():
        click.echo(f"[{lang}] {result.format()}")
    if store:
        evaluation.store(config, evaluation.evaluation_rows(scores, path.name))
        click.echo("stored in enrichment.evaluation_runs")
