"""`ecoute bench enrich`: the enrichment speed benchmark (figures, not a pass/fail test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import click

from core.config import load_config

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _benchmark_module(name: str) -> ModuleType:
    """`benchmarks/<name>.py`, loaded by path: it ships with the repository, not the package."""
    path = BENCHMARKS / f"{name}.py"
    if not path.is_file():
        raise click.ClickException(f"benchmark script not found: {path}")
    spec = importlib.util.spec_from_file_location(f"ecoute_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@click.group("bench")
def bench() -> None:
    """Benchmarks that print figures."""


@bench.command("enrich")
@click.option("--n", "n", type=int, default=5_000, show_default=True, help="Mentions to generate.")
@click.option(
    "--naive-n",
    type=int,
    default=1_000,
    show_default=True,
    help="Mentions for the (slow) naive baseline; its rate is per mention.",
)
@click.option(
    "--rounds", type=int, default=3, show_default=True, help="Interleaved rounds (medians)."
)
@click.option("--workers", type=int, default=None, help="Processes (default: all cores).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
def enrich(n: int, naive_n: int, rounds: int, workers: int | None, config_path: str | None) -> None:
    """Production enrichment (rules and learned) vs naive baseline vs spaCy's NER ceiling (one
    process per core), interleaved rounds with CPU seconds and load; peak memory."""
    from transform.parallel import default_workers

    figures = _benchmark_module("enrich").run(
        load_config(config_path),
        n,
        naive_n,
        workers or default_workers(),
        config_path,
        rounds,
        say=click.echo,
    )
    for key, value in figures.items():
        click.echo(f"{key:>26}: {value:,.2f}")


@bench.command("scale")
@click.option(
    "--mentions",
    default="10000",
    show_default=True,
    help="Warehouse sizes, comma-separated (e.g. 10000,100000,1000000).",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option(
    "--keep",
    type=click.Path(file_okay=False),
    default=None,
    help="Build in this folder (one sub-folder per size) and keep it; default: a temp folder.",
)
def scale(mentions: str, config_path: str | None, keep: str | None) -> None:
    """Full build of N generated mentions (file import), +1 % new, then no change: per step
    (collect, enrich, dbt, publish) time, CPU, rows/s and peak RSS; ratios; projection to 10 M."""
    try:
        sizes = [int(size) for size in mentions.split(",") if size.strip()]
    except ValueError:
        raise click.BadParameter("sizes are whole numbers, e.g. 10000,100000") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("give at least one size of 1 or more")
    _benchmark_module("scale").run(
        load_config(config_path), sizes, say=click.echo, keep=Path(keep) if keep else None
    )
