"""`ecoute evaluate`: accuracy, macro-F1 and confusion matrix per language on a JSONL gold file."""

from __future__ import annotations

from pathlib import Path

import click

from core.config import load_config

# Names of the shared labelled sets (mirrors transform.shared_sets.SETS, kept import-light).
SHARED_SETS = (
    "tweeteval_sentiment_val",
    "french_tweets_train",
    "french_tweets_val",
    "allocine_tv_reviews_fr_dev",
)


@click.command("evaluate")
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSONL with text, lang, label (default: the gold set shipped in transform/gold).",
)
@click.option(
    "--shared",
    "shared",
    multiple=True,
    type=click.Choice(sorted(SHARED_SETS)),
    help="Evaluate on a labelled set from ../shared/data instead (repeatable; tuning only).",
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
def evaluate(
    gold: Path | None, shared: tuple[str, ...], store: bool, config_path: str | None
) -> None:
    """Evaluate the sentiment rules against labelled posts."""
    from transform import evaluation, shared_sets
    from transform.enrich import Enricher
    from transform.version import enrichment_version

    config = load_config(config_path)
    enricher = Enricher(config.brands)
    sources: list[tuple[str, list[dict[str, str]]]] = []
    for name in shared:
        try:
            sources.append((name, shared_sets.load(name)))
        except OSError as error:
            raise click.ClickException(f"shared set {name} unavailable: {error}") from None
    if not shared:
        path = gold or evaluation.GOLD_SET
        try:
            sources.append((path.name, evaluation.read_gold(path)))
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    for name, rows in sources:
        scores = evaluation.evaluate(rows, enricher)
        for lang, result in scores.items():
            click.echo(f"{name} [{lang}] {result.format()}")
        if store:
            version = enrichment_version(config.brands)
            evaluation.store(config, evaluation.evaluation_rows(scores, name, version))
            click.echo(f"{name}: stored in enrichment.evaluation_runs")
