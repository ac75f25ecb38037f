"""The dbt project as Dagster sees it: where it lives, which target, a fresh manifest."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from core import sql_client, warehouse
from core.config import EcouteConfig
from orchestration.lib.settings import DAY_PARTITION_TAG, DBT_PROJECT_DIR

log = logging.getLogger(__name__)

# The metadata key Dagster's UI shows as a table's row count (what dagster-dbt's row counts set).
ROW_COUNT = "dagster/row_count"
# Beside the manifest: the `--vars` of the parse that wrote `partial_parse.msgpack`.
PARSE_VARS_FILE = "ecoute_parse_vars.json"


def dbt_executable() -> str:
    """dbt from this interpreter's environment (works without an activated venv), else PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_vars_args(config: EcouteConfig, extra: dict[str, str] | None = None) -> list[str]:
    """`--vars` pointing `profiles.yml` at this config's warehouse (no environment involved), plus
    `extra` (a partition's `window_start` / `window_end`)."""
    return ["--vars", json.dumps({**warehouse.dbt_vars(config), **(extra or {})}, sort_keys=True)]


def target_dir(config: EcouteConfig) -> Path:
    """This warehouse's dbt folder (manifest, partial-parse state, one folder per invocation):
    beside its other state, named by its dbt vars, so switching between warehouses finds each
    one's parse where it left it instead of re-parsing the project from scratch."""
    key = json.dumps(warehouse.dbt_vars(config), sort_keys=True).encode()
    return warehouse.state_dir(config) / "dbt" / hashlib.sha256(key).hexdigest()[:12]


def invocation_target(project: DbtProject, name: str) -> Path:
    """A fresh target folder for one dbt command, seeded with the warehouse's partial-parse state
    (dagster-dbt would copy it from `dbt_project/target`, which is no warehouse's)."""
    folder = Path(project.target_path) / f"{name}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    parsed = Path(project.target_path) / "partial_parse.msgpack"
    if parsed.exists():
        shutil.copyfile(parsed, folder / "partial_parse.msgpack")
    return folder


class EcouteDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without the dbt adapter it loads in this process before
    every dbt command (dbt's imports, profile and global macros: seconds per command) only to
    count rows afterwards, one adapter connection per table; `with_row_counts` counts the built
    tables in one query instead, on either engine. The hook is private to dagster-dbt (pinned in
    constraints.txt); a test checks that the built tables still get their counts."""

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None


def dbt_cli(config: EcouteConfig) -> DbtCliResource:
    """The dbt CLI resource for this config's target."""
    return EcouteDbtCli(
        project_dir=os.fspath(DBT_PROJECT_DIR),
        profiles_dir=os.fspath(DBT_PROJECT_DIR),
        target=warehouse.engine(config),
        dbt_executable=dbt_executable(),
    )


def with_row_counts(
    config: EcouteConfig, manifest: Mapping[str, Any], events: Iterable[Any]
) -> Iterator[Any]:
    """The events of one dbt command, each table it built with `dagster/row_count`, counted in
    one query once dbt has exited (a DuckDB file has one writer: dbt holds it until then). Views
    are not counted (counting runs their query). An error of the command is raised after the
    events that came before it, so the models built before a failure are still recorded."""
    received: list[Any] = []
    failure: Exception | None = None
    try:
        received.extend(events)
    except Exception as error:  # dbt failed: report what it built, then fail the step
        failure = error
    counts = _row_counts(config, _built_tables(manifest, received))
    for event in received:
        unique_id = _unique_id(event)
        if unique_id in counts and isinstance(event, dg.Output):
            metadata = {**event.metadata, ROW_COUNT: dg.MetadataValue.int(counts[unique_id])}
            event = event.with_metadata(metadata)
        yield event
    if failure is not None:
        raise failure


def _unique_id(event: Any) -> str | None:
    value = getattr(event, "metadata", {}).get("unique_id")
    return getattr(value, "text", None)


def _built_tables(manifest: Mapping[str, Any], events: list[Any]) -> dict[str, str]:
    """unique id → relation of each model materialised as a table (incremental included)."""
    tables = {}
    for event in events:
        node = manifest["nodes"].get(_unique_id(event) or "")
        if (
            isinstance(event, dg.Output)
            and node is not None
            and node["resource_type"] == "model"
            and node["config"]["materialized"] in ("table", "incremental")
            and node.get("relation_name")
        ):
            tables[node["unique_id"]] = node["relation_name"]
    return tables


def _row_counts(config: EcouteConfig, tables: dict[str, str]) -> dict[str, int]:
    """Row counts of these relations in one query (none when the query fails: counts are
    metadata, never a reason to fail a build)."""
    if not tables:
        return {}
    ids = list(tables)
    sql = " union all ".join(
        f"select {i} as position, count(*) as row_count from {tables[unique_id]}"
        for i, unique_id in enumerate(ids)
    )
    try:
        with sql_client.connect(config, read_only=True) as con:
            return {ids[int(position)]: int(count) for position, count in con.execute(sql)}
    except Exception as error:  # metadata only: the build's result stands
        log.warning("row counts of the dbt tables not fetched: %s", error)
        return {}


def _manifest_is_stale(project: DbtProject) -> bool:
    """True when any model, macro, test or project file is newer than the manifest."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests", "analyses"):
        sources += (DBT_PROJECT_DIR / folder).rglob("*")
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


def _parsed_with_other_vars(project: DbtProject, config: EcouteConfig) -> bool:
    """True when the saved partial-parse state was written for other `--vars` (another warehouse).

    dagster-dbt hands every `dbt build` a copy of `partial_parse.msgpack`; dbt discards it when the
    vars or profile differ (the DuckDB path is a var), re-parsing the project in each of the
    build's dbt steps. Parsing once here for this warehouse makes each step a partial parse.
    """
    stamp = Path(project.target_path) / PARSE_VARS_FILE
    try:
        return bool(json.loads(stamp.read_text()) != warehouse.dbt_vars(config))
    except (OSError, ValueError):
        return True


def dbt_project(config: EcouteConfig) -> DbtProject:
    """The dbt project for this config's warehouse (its own target folder), re-parsed when a model
    is newer than the manifest, when the folder holds no parse for these vars, or always under
    `dagster dev` (which reloads definitions on every code change)."""
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR,
        profiles_dir=DBT_PROJECT_DIR,
        target=warehouse.engine(config),
        target_path=target_dir(config),
    )
    if (
        os.environ.get("DAGSTER_IS_DEV_CLI")
        or _manifest_is_stale(project)
        or _parsed_with_other_vars(project, config)
    ):
        _parse(config, Path(project.target_path))
    return project


def _parse(config: EcouteConfig, target: Path) -> None:
    """`dbt parse` for this warehouse into a private folder, then swap its files in, so another
    process reading the manifest meanwhile never sees a half-written one."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target, prefix=".parse-") as scratch:
        dbt_cli(config).cli(
            ["--quiet", "parse", *dbt_vars_args(config)], target_path=Path(scratch)
        ).wait()
        stamp = Path(scratch) / PARSE_VARS_FILE
        stamp.write_text(json.dumps(warehouse.dbt_vars(config), sort_keys=True))
        for name in ("manifest.json", "partial_parse.msgpack", PARSE_VARS_FILE):
            os.replace(Path(scratch) / name, target / name)


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


def model_names(project: DbtProject) -> dict[dg.AssetKey, str]:
    """Asset key → dbt model name, for every model."""
    return {key: name for name, (_, key) in _model_keys(project).items()}


def day_scoped_keys(project: DbtProject) -> frozenset[dg.AssetKey]:
    """The asset keys of the day-scoped incremental models (dbt tag `DAY_PARTITION_TAG`): what a
    day partition's run rewrites when partitions run side by side."""
    manifest = json.loads(project.manifest_path.read_text())
    tagged = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and DAY_PARTITION_TAG in node.get("tags", [])
    }
    return frozenset(key for name, (_, key) in _model_keys(project).items() if name in tagged)


def model_key(project: DbtProject, name: str) -> dg.AssetKey:
    """The asset key of one dbt model (for Python assets that read it)."""
    return _model_keys(project)[name][1]


def mart_keys(project: DbtProject) -> list[dg.AssetKey]:
    """Asset keys of every model in `models/marts` (what the serving copy publishes)."""
    return sorted(
        (key for layer, key in _model_keys(project).values() if layer == "marts"),
        key=lambda key: key.to_user_string(),
    )


def raw_source_keys(project: DbtProject) -> list[dg.AssetKey]:
    """Every raw table dbt reads (`raw/<table>`, as the dlt assets are named)."""
    manifest = json.loads(project.manifest_path.read_text())
    return sorted(
        (
            dg.AssetKey([node["source_name"], node["name"]])
            for node in manifest["sources"].values()
            if node["source_name"] == "raw"
        ),
        key=lambda key: key.to_user_string(),
    )
