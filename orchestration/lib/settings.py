"""Names shared by all definitions, and the config read when definitions are built."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ecoute.config import EcouteConfig, config_path, load_config

# Every asset that writes the warehouse takes a slot in this pool; `dagster.yaml` limits it to one,
# so DuckDB (one writer per file) never sees two writers and parallel steps never hit a lock error.
WAREHOUSE_POOL = "warehouse_writer"
BUILD_JOB = "build_everything"
DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@lru_cache(maxsize=4)
def _load(path: str) -> EcouteConfig:
    return load_config(path)


def current_config() -> EcouteConfig:
    """The listening project named by `ECOUTE_CONFIG` (or ./ecoute.yml), read once per path."""
    return _load(str(config_path().resolve()))
