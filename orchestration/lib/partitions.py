"""Day partitions of the marts, and the dbt window a partitioned run passes on.

A partition is one UTC day of `published_at`. The first day is the demo world's first day when the
config serves the demo, else the first of the month that the retention limit reaches back to (no
older post is kept), else `DEFAULT_START`. Today is a partition already (`end_offset=1`), so the
hourly build's day can be backfilled like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from core.config import EcouteConfig

DEFAULT_START = date(2020, 1, 1)
# Set on runs that build everything new (`ecoute run`, the hourly schedule): their partition is
# only where Dagster files the run, and dbt gets no window.
WHOLE_BUILD_TAG = "ecoute/whole_build"


@dataclass(frozen=True)
class RunTarget:
    """The partition (or range tags) a run of the build job covers."""

    partition_key: str | None
    tags: dict[str, str] = field(default_factory=dict)


def first_day(config: EcouteConfig, today: date | None = None) -> date:
    """The first partition's day for this config (see the module docstring)."""
    if config.demo is not None:
        return config.demo.start
    if config.privacy.retention_days is not None:
        today = today or datetime.now(UTC).date()
        reach = today - timedelta(days=config.privacy.retention_days)
        return reach.replace(day=1)
    return DEFAULT_START


def daily_partitions(config: EcouteConfig) -> dg.DailyPartitionsDefinition:
    """One partition per UTC day from `first_day(config)` to today."""
    return dg.DailyPartitionsDefinition(
        start_date=first_day(config).isoformat(), timezone="UTC", end_offset=1
    )


def run_target(
    partitions: dg.DailyPartitionsDefinition, days: tuple[date, date] | None = None
) -> RunTarget:
    """A whole build (today's partition, tagged) or the days `(first, last)`, in one run.

    A run of day-partitioned assets needs a partition or a range: in a run with neither, Dagster
    cannot file the dbt tests' check results of a partitioned asset that was built before.
    """
    last = partitions.get_last_partition_key()
    if last is None:
        raise ValueError("no day partition yet (the first day is after today)")
    if days is None:
        return RunTarget(partition_key=last, tags={WHOLE_BUILD_TAG: "true"})
    first_key, last_key = days[0].isoformat(), days[1].isoformat()
    keys = partitions.get_partition_keys()
    for key in (first_key, last_key):
        if key not in keys:
            raise ValueError(f"{key} is not a day partition ({keys[0]} to {keys[-1]})")
    if first_key == last_key:
        return RunTarget(partition_key=first_key)
    return RunTarget(
        partition_key=None,
        tags={
            "dagster/asset_partition_range_start": first_key,
            "dagster/asset_partition_range_end": last_key,
        },
    )


def window_vars(context: dg.AssetExecutionContext) -> dict[str, str] | None:
    """`window_start` / `window_end` (ISO days, the end excluded) of a run over day partitions,
    one day or a range; None for a whole build (or an unpartitioned run), which builds everything
    new as before."""
    if context.run.tags.get(WHOLE_BUILD_TAG) == "true":
        return None
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    window = context.partition_time_window
    return {
        "window_start": window.start.date().isoformat(),
        "window_end": window.end.date().isoformat(),
    }
