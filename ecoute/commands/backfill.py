"""`ecoute backfill --from DAY --to DAY`: rebuild the marts of a range of days (DuckDB: in one run;
Postgres: one run per day, side by side, then one whole build)."""

from __future__ import annotations

from datetime import datetime

import click

from core.config import load_config


@click.command("backfill")
@click.option(
    "--from",
    "first",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First day (UTC), included.",
)
@click.option(
    "--to",
    "last",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="Last day (UTC), included.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)
def backfill(first: datetime, last: datetime, config_file: str | None) -> None:
    """Rebuild the day partitions FROM..TO. DuckDB: the build job runs once over the window
    (collect and enrich what is new as `ecoute run` does, then the incremental marts' rows of those
    days, dbt getting the window as vars, and every other mart). Postgres: one run per day of the
    day-scoped marts, side by side (`orchestration/partition_runs.py`), then one whole build. The
    same as a backfill of those partitions in the Dagster UI.

    Exits 1 if any step or blocking check failed.
    """
    from ecoute.session import demo_world, end_process
    from orchestration import partition_runs
    from orchestration.lib.partitions import daily_partitions, run_target

    start, end = first.date(), last.date()
    if end < start:
        raise click.UsageError("--to is before --from")
    config = load_config(config_file)
    try:
        run_target(daily_partitions(config), (start, end))
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    with demo_world(config) as demo_url:
        if demo_url:
            click.echo(f"Serving the demo world on {demo_url}")
        summary = partition_runs.backfill(config, (start, end), say=click.echo)
    for line in summary.lines():
        click.echo(line)
    end_process(0 if summary.ok else 1)
