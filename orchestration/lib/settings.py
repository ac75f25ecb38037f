"""Names shared by all definitions."""

from __future__ import annotations

from pathlib import Path

# Every asset that writes the warehouse takes a slot in this pool; `instance/dagster.yaml` limits it
# to one, so DuckDB (one writer per file) never sees two writers and parallel steps never hit a
# lock error.
WAREHOUSE_POOL = "warehouse_writer"
# On Postgres, the day-partitioned dbt step takes its slot here instead: runs of different days
# may then write side by side (`lib/concurrency.py`), while every other writer stays one at a time.
PARTITION_POOL = "warehouse_day_partitions"
PARTITION_WRITERS = 4
# The dbt tag of the day-scoped incremental models, the only ones a day partition's run rewrites
# on Postgres (the whole-table marts are built by the next whole build).
DAY_PARTITION_TAG = "day_partition"
BUILD_JOB = "build_everything"
ORCHESTRATION_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = ORCHESTRATION_DIR.parent / "dbt_project"
INSTANCE_SETTINGS = ORCHESTRATION_DIR / "instance" / "dagster.yaml"
