"""`ecoute run`: materialise the whole asset graph in-process and say what it did.

The build is the Dagster job itself (the same definitions the UI shows), run on the persistent
Dagster instance beside the warehouse (`dagster_home`), so its runs and materialisations appear in
the UI. This is the only code that runs the job; the CLI hands it a loaded config.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core import processes, sql_client, warehouse
from core.config import EcouteConfig
from core.loading import RAW_DATASET
from orchestration.lib import event_storage
from orchestration.lib.children import guard_children
from orchestration.lib.interrupts import interruptible
from orchestration.lib.settings import BUILD_JOB, INSTANCE_SETTINGS

log = logging.getLogger(__name__)

# Who runs a build: a run whose process is gone is dead, whatever its stored status says.
PID_TAG = "ecoute/pid"
HOST_TAG = "ecoute/host"
# The process's start time (clock ticks after boot), so a reused pid is not taken for the build.
PROCESS_START_TAG = "ecoute/process_start"
# Where dbt stores the failing rows of each test (`store_failures` in dbt_project.yml).
TEST_FAILURES_SCHEMA = "dbt_test_failures"


@dataclass
class BuildSummary:
    ok: bool
    seconds: float
    loaded: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    enriched: int = 0
    marts: dict[str, int] = field(default_factory=dict)
    failed_steps: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    # Per source, this build's records: loaded into raw tables and quarantined with a reason.
    received: dict[str, tuple[int, int]] = field(default_factory=dict)
    # dbt_test_failures tables holding failing rows, with their row counts.
    test_failures: dict[str, int] = field(default_factory=dict)
    serving_path: str | None = None

    def lines(self) -> list[str]:
        status = "succeeded" if self.ok else "FAILED"
        out = [f"Build {status} in {self.seconds:.1f}s."]
        if self.loaded:
            out.append(
                "  collected (new rows): "
                + ", ".join(f"{t} +{n}" for t, n in sorted(self.loaded.items()))
            )
        if any(self.quarantined.values()):
            out.append(
                "  quarantined (total): "
                + ", ".join(f"{t} {n}" for t, n in sorted(self.quarantined.items()))
            )
        for source, (loaded, quarantined) in sorted(self.received.items()):
            out.append(
                f"  {source}: received {loaded + quarantined} = loaded {loaded}"
                f" + quarantined {quarantined}"
            )
        out.append(f"  enriched mentions: {self.enriched}")
        if self.marts:
            out.append(
                "  marts: " + ", ".join(f"{t} ({n} rows)" for t, n in sorted(self.marts.items()))
            )
        if self.serving_path:
            out.append(f"  serving copy: {self.serving_path}")
        for step in self.failed_steps:
            out.append(f"  failed step: {step}")
        for check in self.failed_checks:
            out.append(f"  failed check: {check}")
        for check in self.warned_checks:
            out.append(f"  warning: {check}")
        for table, rows in sorted(self.test_failures.items()):
            out.append(f"  failing rows stored: {TEST_FAILURES_SCHEMA}.{table} ({rows} rows)")
        return out


def dagster_home(config: EcouteConfig) -> Path:
    """The Dagster instance folder of this warehouse: `DAGSTER_HOME` when the user set one, else
    `dagster/` beside the warehouse, whose `dagster.yaml` links to the committed settings."""
    chosen = os.environ.get("DAGSTER_HOME")
    if chosen:
        return Path(chosen).resolve()
    home = (warehouse.state_dir(config) / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not (settings.is_symlink() and settings.resolve() == INSTANCE_SETTINGS):
        settings.unlink(missing_ok=True)
        settings.symlink_to(INSTANCE_SETTINGS)
    return home


def table_counts(config: EcouteConfig, schema: str) -> dict[str, int]:
    """Row counts of every table in a schema of the build database (empty if it does not exist)."""
    if not sql_client.warehouse_exists(config):
        return {}
    with sql_client.connect(config, read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' "
                "and table_name not like '\\_dlt%' escape '\\' order by 1",
                [schema],
            )
        ]
        counts = {}
        for table in tables:
            (count,) = con.execute(f'select count(*) from "{schema}"."{table}"')[0]
            counts[table] = int(count)
        return counts


def received_since(config: EcouteConfig, since: datetime) -> dict[str, tuple[int, int]]:
    """Per source (dlt schema), the rows its loads since `since` wrote: (loaded, quarantined).
    Rows are counted in the raw tables by the load that wrote them, so a re-run that merges the
    same records counts them again, as received."""
    if not sql_client.warehouse_exists(config):
        return {}
    counts: dict[str, list[int]] = {}
    with sql_client.connect(config, read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.columns "
                "where table_schema = ? and column_name = '_dlt_load_id' "
                "and table_name not like '\\_dlt%' escape '\\' order by 1",
                [RAW_DATASET],
            )
        ]
        if not tables:
            return {}
        for table in tables:
            rows = con.execute(
                f'select l.schema_name, count(*) from "{RAW_DATASET}"."{table}" t '
                f'join "{RAW_DATASET}"."_dlt_loads" l on t._dlt_load_id = l.load_id '
                "where l.inserted_at >= ? group by 1",
                [since],
            )
            for source, count in rows:
                slot = 1 if table.endswith("_quarantine") else 0
                counts.setdefault(str(source), [0, 0])[slot] += int(count)
    return {source: (loaded, quarantined) for source, (loaded, quarantined) in counts.items()}


def stored_test_failures(config: EcouteConfig) -> dict[str, int]:
    """The dbt test-failure tables that hold rows (a failed or warned test's failing rows), once
    the empty ones are dropped: `store_failures` writes a table for every test (about 150 per
    build), and only a failing test's says anything."""
    counts = table_counts(config, TEST_FAILURES_SCHEMA)
    empty = [table for table, rows in counts.items() if not rows]
    if empty and warehouse.engine(config) == "duckdb":
        try:
            with sql_client.connect(config) as con:
                for table in empty:
                    con.execute(f'drop table if exists "{TEST_FAILURES_SCHEMA}"."{table}"')
        except warehouse.WarehouseLockedError as error:
            log.warning("empty dbt test-failure tables kept: %s", error)
    return {t: n for t, n in counts.items() if n}


def process_tags() -> dict[str, str]:
    """The run tags naming this process, read back by `recover_dead_runs`."""
    pid = os.getpid()
    tags = {PID_TAG: str(pid), HOST_TAG: socket.gethostname()}
    started = processes.start_time(pid)
    return {**tags, PROCESS_START_TAG: started} if started else tags


def recover_dead_runs(instance: Any) -> list[str]:
    """Mark failed the unfinished `ecoute run` runs of this machine whose process is gone, and free
    the pool slots of every finished run still holding one. A killed build otherwise stays
    STARTED with its `warehouse_writer` slot, and the next build waits for that slot for ever.
    Runs launched from the UI have no pid tag: the daemon's run monitoring watches those."""
    import dagster as dg

    unfinished = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[
                dg.DagsterRunStatus.NOT_STARTED,
                dg.DagsterRunStatus.QUEUED,
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED,
            ]
        )
    )
    recovered = []
    for run in unfinished:
        pid = run.tags.get(PID_TAG)
        if pid is None or run.tags.get(HOST_TAG) != socket.gethostname():
            continue
        if processes.alive(int(pid), run.tags.get(PROCESS_START_TAG)):
            continue
        instance.report_run_failed(
            run, message=f"Its process (pid {pid}) is gone: marked failed by the next build."
        )
        recovered.append(run.run_id)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in storage.get_concurrency_run_ids():
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
    return recovered


def progress_logger(prefix: str = "") -> Any:
    """A Dagster logger that prints one short line per step instead of every event (after
    `prefix`: the day of a partition's run beside others)."""
    import dagster as dg

    class StepLines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            event = getattr(record, "dagster_meta", {}).get("dagster_event")
            if event is None:
                return
            kind = event.event_type_value
            if kind in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
                verb = {"STEP_START": "…", "STEP_SUCCESS": "✓", "STEP_FAILURE": "✗"}[kind]
                print(f"  {prefix}{verb} {event.step_key}", flush=True)

    @dg.logger
    def step_lines(_init_context: Any) -> logging.Logger:
        logger = logging.getLogger("orchestration.run.steps")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(StepLines())
        return logger

    return step_lines


def run_build(
    config: EcouteConfig,
    say: Callable[[str], None] = print,
    days: tuple[date, date] | None = None,
) -> BuildSummary:
    """Materialise every asset once (collect → enrich → dbt build and tests → publish).

    Without `days`, the day-partitioned assets run as today's partition tagged as a whole build
    (no dbt window: everything new is built, as before partitions); with `days` (first, last), the
    run covers those partitions and dbt rewrites their rows of the incremental marts, in one run on
    every engine (`ecoute backfill` goes through `orchestration.partition_runs.backfill`, which
    runs each day as a run of its own, then a whole build, where days run side by side).
    """
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.lib.concurrency import set_pool_limits
    from orchestration.lib.partitions import daily_partitions, run_target

    started = time.monotonic()
    started_at = datetime.now(UTC)
    raw_before = table_counts(config, "raw")
    target = run_target(daily_partitions(config), days)
    say("Loading definitions (dbt manifest, sources)…")
    job = (
        build_definitions(config)
        .resolve_job_def(BUILD_JOB)
        .with_logger_defs({"step_lines": progress_logger()})
    )
    say(f"Running job {BUILD_JOB}:")
    with (
        interruptible(),
        guard_children(),
        dg.DagsterInstance.from_config(str(dagster_home(config))) as instance,
    ):
        set_pool_limits(instance, config)
        recovered = recover_dead_runs(instance)
        if recovered:
            say(
                f"Recovered {len(recovered)} run(s) whose process died "
                f"(marked failed, pool slots freed): {', '.join(r[:8] for r in recovered)}"
            )
        result = event_storage.execute_in_process(
            job,
            instance,
            raise_on_error=False,
            run_config={"loggers": {"step_lines": {}}},
            partition_key=target.partition_key,
            tags={**process_tags(), **target.tags},
        )
    raw_after = table_counts(config, "raw")
    summary = BuildSummary(ok=result.success, seconds=time.monotonic() - started)
    summary.loaded = {
        t: n - raw_before.get(t, 0) for t, n in raw_after.items() if not t.endswith("_quarantine")
    }
    summary.quarantined = {t: n for t, n in raw_after.items() if t.endswith("_quarantine")}
    summary.marts = table_counts(config, "marts")
    summary.received = received_since(config, started_at)
    summary.test_failures = stored_test_failures(config)
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            summary.failed_steps.append(event.step_key or "?")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.asset_check_evaluation_data
            if not evaluation.passed:
                name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
                if evaluation.severity == dg.AssetCheckSeverity.WARN:
                    summary.warned_checks.append(name)
                else:
                    summary.failed_checks.append(name)
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            if materialization.asset_key.path == ["enrichment", "mention_enrichment"]:
                enriched = materialization.metadata["enriched"].value
                summary.enriched += enriched if isinstance(enriched, int) else 0
    serving = warehouse.serving_path(config)
    # A failed build leaves the previous serving copy in place: do not report it as this build's.
    summary.serving_path = str(serving) if result.success and serving.exists() else None
    return summary
