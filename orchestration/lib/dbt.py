"""The dbt project as Dagster sees it: where it lives, which target, a fresh manifest."""

from __future__ import annotations

import json
import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject

from ecoute import warehouse
from ecoute.config import EcouteConfig
from orchestration.lib.settings import DBT_PROJECT_DIR


def dbt_executable() -> str:
    """dbt from this interpreter's environment (works without an activated venv), else PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def export_dbt_env(config: EcouteConfig) -> None:
    """Point `profiles.yml` at this config's warehouse (dbt reads it from the environment), and
    put this interpreter's `bin/` on PATH so dagster-dbt finds `dbt` without an activated venv."""
    os.environ.update(warehouse.dbt_env(config))
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _manifest_is_stale(project: DbtProject) -> bool:
    """True when any model, macro, test or project file is newer than the manifest."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests", "analyses"):
        sources += (DBT_PROJECT_DIR / folder).rglob("*")
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


@lru_cache(maxsize=4)
def _project(target: str) -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target=target)
    if os.environ.get("DAGSTER_IS_DEV_CLI") or _manifest_is_stale(project):
        project.preparer.prepare(project)  # `dbt parse`: a manifest that matches the models
    return project


def dbt_project(config: EcouteConfig) -> DbtProject:
    export_dbt_env(config)
    return _project(warehouse.engine(config))


def _model_keys(project: DbtProject) -> dict[str, tuple[str, dg.AssetKey]]:
    """Model name → (layer folder, asset key), as the dbt assets name them."""
    from orchestration.lib.translators import LayeredDbtTranslator

    manifest = json.loads(project.manifest_path.read_text())
    translator = LayeredDbtTranslator()
    return {
        node["name"]: (
            node["fqn"][1] if len(node["fqn"]) > 2 else "",
            translator.get_asset_spec(manifest, unique_id, project).key,
        )
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def model_key(project: DbtProject, name: str) -> dg.AssetKey:
    """The asset key of one dbt model (for Python assets that read it)."""
    return _model_keys(project)[name][1]


def mart_keys(project: DbtProject) -> list[dg.AssetKey]:
    """Asset keys of every model in `models/marts` (what the serving copy publishes)."""
    return sorted(
        (key for layer, key in _model_keys(project).values() if layer == "marts"),
        key=lambda key: key.to_user_string(),
    )
