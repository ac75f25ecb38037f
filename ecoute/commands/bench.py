"""`ecoute bench enrich`: the enrichment speed benchmark (figures, not a pass/fail test)."""

from __future__ import annotations

import click

from ecoute.config import load_config


@click.group("bench")
def bench() -> None:
    """Benchmarks that print figures."""


@bench.command("enrich")
@click.option("--n", "n", type=int, default=20_000, show_default=True, help="Mentions to generate.")
@click.option(
    "--naive-n",
    type=int,
    default=2_000,
    show_default=True,
    help="Mentions for the (slow) naive baseline; its rate is per mention.",
)
@click.option("--workers", type=int, default=None, help="Processes (default: all cores).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
def enrich(n: int, naive_n: int, workers: int | None, config_path: str | None) -> None:
    """Production enrichment vs naive baseline vs spaCy NER alone on all cores; peak memory."""
    from benchmarks.enrich import run
    from transform.parallel import default_workers

    figures = run(load_config(config_path), n, naive_n, workers or default_workers())
    for key, value in figures.items():
        click.echo(f"{key:>18}: {value:,.2f}")
