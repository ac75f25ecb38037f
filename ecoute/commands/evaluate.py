"""`ecoute evaluate`: the linear model, the rules and plain TextBlob side by side on labelled posts.

Per language and per source: accuracy, macro-F1, per-class F1, confusion matrix and expected
calibration error. The linear model is not scored on a set it was trained on.
"""

from __future__ import annotations

from pathlib import Path

import click

from core.config import EcouteConfig, load_config

# Names of the shared labelled sets (mirrors transform.shared_sets.SETS, kept import-light).
SHARED_SETS = (
    "tweeteval_sentiment_val",
    "french_tweets_train",
    "french_tweets_val",
    "allocine_tv_reviews_fr_dev",
    "semeval_sentiment_train_en",
)
# Mirrors transform.shared_sets.TRAINING_SETS: the linear model has seen these rows.
TRAINED_ON = ("french_tweets_train", "semeval_sentiment_train_en")


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
    "--brand-pairs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSONL of (post, brand) gold labels: lang, text, brand, label [post_id, brands]. "
    "Per-brand accuracy, macro-F1 and calibration of the configured backend and the rules.",
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
    gold: Path | None,
    shared: tuple[str, ...],
    brand_pairs: Path | None,
    store: bool,
    config_path: str | None,
) -> None:
    """Score the linear model, the rules and plain TextBlob against labelled posts, in one run;
    with --brand-pairs, per-brand labels in multi-brand posts (configured backend and rules)."""
    from transform import evaluation, shared_sets
    from transform.backends import load_backend
    from transform.brand_evaluation import evaluate_brand_pairs
    from transform.enrich import Enricher
    from transform.version import project_version

    config = load_config(config_path)
    sources: list[tuple[str, list[dict[str, str]]]] = []
    for name in shared:
        try:
            sources.append((name, shared_sets.load(name)))
        except OSError as error:
            raise click.ClickException(f"shared set {name} unavailable: {error}") from None
    if brand_pairs is not None:
        _brand_pairs(brand_pairs, config)
        if gold is None and not shared:
            return
    if not shared:
        path = gold or evaluation.GOLD_SET
        try:
            sources.append((path.name, evaluation.read_gold(path)))
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    for name, rows in sources:
        systems = [s for s in evaluation.SYSTEMS if not (s == "linear" and name in TRAINED_ON)]
        if len(systems) < len(evaluation.SYSTEMS):
            click.echo(f"{name}: the linear model was trained on it; not scored")
        for report in evaluation.compare(rows, systems):
            click.echo(f"{name} {report.format()}")
        if store:
            enricher = Enricher(
                config.brands,
                backend=load_backend(config.sentiment.backend),
                languages=config.languages,
            )
            scores = evaluation.evaluate(rows, enricher)
            version = project_version(config)
            evaluation.store(config, evaluation.evaluation_rows(scores, name, version))
            click.echo(f"{name}: stored in enrichment.evaluation_runs")
    if gold is None:
        _, table = evaluate_brand_pairs(load_backend(config.sentiment.backend))
        click.echo(f"per-brand sentiment ({config.sentiment.backend}, brand_pairs.jsonl):\n{table}")


def _brand_pairs(path: Path, config: EcouteConfig) -> None:
    """Per-brand scores of a pairs file: the configured backend, then the rules (the baseline),
    each brand as the project's catalogue defines it (aliases), else by its name."""
    from transform.backends import load_backend
    from transform.brand_evaluation import predict_pairs, read_pairs, report

    try:
        rows = read_pairs(path)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for name in dict.fromkeys((config.sentiment.backend, "rules")):
        results = predict_pairs(rows, load_backend(name), config.brands)
        click.echo(f"per-brand sentiment ({name}, {path.name}, {len(rows)} pairs):")
        click.echo(report(results))
