"""Names shared by all definitions."""

from __future__ import annotations

from pathlib import Path

# Every asset that writes the warehouse takes a slot in this pool; `instance/dagster.yaml` limits it
# to one, so DuckDB (one writer per file) never sees two writers and parallel steps never hit a
# lock error.
WAREHOUSE_POOL = "warehouse_writer"
BUILD_JOB = "build_everything"
ORCHESTRATION_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = ORCHESTRATION_DIR.parent / "dbt_project"
INSTANCE_SETTINGS = ORCHESTRATION_DIR / "instance" / "dagster.yaml"
