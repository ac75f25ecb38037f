"""The Dagster definitions of one listening project, built from its loaded config.

`dagster dev -m orchestration.definitions` loads `defs` below, which reads the config named by
`ECOUTE_CONFIG` (else `./ecoute.yml`) once; `ecoute run` calls `build_definitions` with the config
it already loaded. Each module of `defs/` holds one unit of definitions and receives what it needs.
"""

from __future__ import annotations

import dagster as dg

from core.config import EcouteConfig, load_config
from orchestration.defs import (
    corrections,
    dbt,
    enrichment,
    ingestion,
    jobs,
    monitoring,
    privacy,
    resources,
    serving,
)
from orchestration.lib.dbt import dbt_project


def build_definitions(config: EcouteConfig) -> dg.Definitions:
    """Every asset, check, job, schedule, sensor and resource for this config."""
    project = dbt_project(config)
    return dg.Definitions.merge(
        resources.defs(config),
        ingestion.defs(config),
        corrections.defs(),
        privacy.defs(project),
        enrichment.defs(project),
        dbt.defs(project, config),
        serving.defs(project),
        monitoring.defs(config),
        jobs.defs(),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_config())
