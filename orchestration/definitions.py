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
from orchestration.lib.dbt import dbt_project, raw_source_keys


def build_definitions(config: EcouteConfig) -> dg.Definitions:
    """Every asset, check, job, schedule, sensor and resource for this config.

    The raw tables of sources the config does not enable are no asset and no one's upstream.
    """
    project = dbt_project(config)
    loaded = ingestion.loaded_raw_keys(config) | set(corrections.keys())
    raw_keys = [key for key in raw_source_keys(project) if key in loaded]
    hidden = frozenset(key for key in raw_source_keys(project) if key not in loaded)
    return dg.Definitions.merge(
        resources.defs(config),
        ingestion.defs(config),
        corrections.defs(),
        privacy.defs(raw_keys),
        enrichment.defs(project),
        dbt.defs(project, config, hidden),
        serving.defs(project),
        monitoring.defs(config),
        jobs.defs(config),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_config())
