"""The dbt project as Dagster sees it: where it lives, which target, a fresh manifest."""

from __future__ import annotations

import json
import os
from functools import lru_cache

import dagster as dg
from dagster_dbt import DbtProject

from ecoute import warehouse
from ecoute.config import EcouteConfig
from orchestration.lib.settings import DBT_PROJECT_DIR


def export_dbt_env(config: EcouteConfig) -> None:
    """Point `profiles.yml` at this config's warehouse (dbt reads it from the environment)."""
    os.environ.update(warehouse.dbt_env(config))


@lru_cache(maxsize=4)
def _project(target: str) -> DbtProject:
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target=target
    )
    if os.environ.get("DAGSTER_IS_DEV_CLI") or not project.manifest_path.exists():
        project.preparer.prepare(project)  # `dbt parse`: a manifest that matches the models
    return project


def dbt_project(config: EcouteConfig) -> DbtProject:
    export_dbt_env(config)
    return _project(warehouse.engine(config))


def mart_keys(project: DbtProject) -> list[dg.AssetKey]:
    """Asset keys of every model in `models/marts` (what the serving copy publishes)."""
    manifest = json.loads(project.manifest_path.read_text())
    return sorted(
        (
            dg.AssetKey([node["name"]])
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]
        ),
        key=lambda key: key.to_user_string(),
    )
