"""`ecoute backfill`: one run over the days (`run_build`), or where day partitions run side by
side (Postgres), one run per day, then one whole build.

Each day is a run of its own, in a process of its own (`python -m orchestration.partition_runs
CONFIG DAY`), on the build's Dagster instance: it materialises only that partition of the
day-scoped dbt models, so its slot is one of the partition pool's (`lib/concurrency.py`) and the
warehouse keeps apart two runs writing one model. At most `PARTITION_WRITERS` days run at once.
Then one whole build (`run_build`, as `ecoute run`) collects and enriches what is new, builds the
whole-table marts once from the rewritten days, and publishes. A failed day stops there: the
whole-table marts wait for the next build, which runs dbt (the days marked its inputs changed).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from core.config import EcouteConfig, load_config
from orchestration.lib import event_storage
from orchestration.lib.children import guard_children
from orchestration.lib.interrupts import interruptible
from orchestration.lib.settings import BUILD_JOB, PARTITION_WRITERS
from orchestration.run import (
    BuildSummary,
    dagster_home,
    process_tags,
    progress_logger,
    recover_dead_runs,
    run_build,
    table_counts,
)

POLL_SECONDS = 0.2
# Set on each day's run: the backfill's partition runs, apart from the whole builds.
DAY_RUN_TAG = "ecoute/day_partition_run"


def days_between(days: tuple[date, date]) -> list[str]:
    """The ISO days first..last, both included."""
    first, last = days
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def backfill(
    config: EcouteConfig, days: tuple[date, date], say: Callable[[str], None] = print
) -> BuildSummary:
    """Rebuild the marts of `days` (first, last): side by side where the engine lets days write at
    once (`backfill_side_by_side`), else in one run over them (`run_build`)."""
    from orchestration.lib.concurrency import side_by_side

    if side_by_side(config):
        return backfill_side_by_side(config, days, say)
    return run_build(config, say, days)


def backfill_side_by_side(
    config: EcouteConfig, days: tuple[date, date], say: Callable[[str], None] = print
) -> BuildSummary:
    """Rebuild the day-scoped marts of `days` one run per day, side by side, then build the rest
    once (see the module docstring)."""
    import dagster as dg

    from orchestration.lib.concurrency import set_pool_limits
    from orchestration.lib.dbt import dbt_project
    from orchestration.lib.partitions import daily_partitions, run_target

    started = time.monotonic()
    run_target(daily_partitions(config), days)  # every day is a partition, or ValueError
    dbt_project(config)  # parsed once here, not by every day's process
    with dg.DagsterInstance.from_config(str(dagster_home(config))) as instance:
        set_pool_limits(instance, config)
        recovered = recover_dead_runs(instance)
    if recovered:
        say(f"Recovered {len(recovered)} run(s) whose process died (marked failed, slots freed)")
    keys = days_between(days)
    say(f"Day partitions {keys[0]} to {keys[-1]}, up to {PARTITION_WRITERS} side by side:")
    with guard_children():
        failed = _run_days(config, keys)
    if failed:
        summary = BuildSummary(ok=False, seconds=time.monotonic() - started)
        summary.failed_steps = [f"day partition {day}" for day in failed]
        summary.marts = table_counts(config, "marts")
        return summary
    say("Whole build after the day partitions (the other marts, publish):")
    summary = run_build(config, say)
    summary.seconds = time.monotonic() - started
    return summary


def _run_days(config: EcouteConfig, days: list[str]) -> list[str]:
    """Run each day in its own process, at most `PARTITION_WRITERS` at once; the failed days."""
    waiting = list(days)
    running: dict[str, subprocess.Popen[bytes]] = {}
    failed: list[str] = []
    while waiting or running:
        while waiting and len(running) < PARTITION_WRITERS:
            day = waiting.pop(0)
            command = [sys.executable, "-m", __name__, str(config.source_file), day]
            running[day] = subprocess.Popen(command)
        for day, process in list(running.items()):
            if process.poll() is not None:
                del running[day]
                if process.returncode != 0:
                    failed.append(day)
        time.sleep(POLL_SECONDS)
    return sorted(failed)


def run_day(config: EcouteConfig, day: str) -> bool:
    """One day partition of the day-scoped dbt models, on the build's instance."""
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.lib.dbt import day_scoped_keys, dbt_project

    keys = sorted(day_scoped_keys(dbt_project(config)), key=lambda key: key.to_user_string())
    job = (
        build_definitions(config)
        .resolve_job_def(BUILD_JOB)
        .with_logger_defs({"step_lines": progress_logger(f"[{day}] ")})
    )
    with (
        interruptible(),
        guard_children(),
        dg.DagsterInstance.from_config(str(dagster_home(config))) as instance,
    ):
        result = event_storage.execute_in_process(
            job,
            instance,
            raise_on_error=False,
            run_config={"loggers": {"step_lines": {}}},
            partition_key=day,
            asset_selection=keys,
            tags={**process_tags(), DAY_RUN_TAG: day},
        )
    return result.success


def main(argv: list[str]) -> int:
    config_file, day = argv
    return 0 if run_day(load_config(config_file), day) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
