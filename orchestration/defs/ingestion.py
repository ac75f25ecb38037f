"""One dlt multi-asset per enabled source: its tables in `raw`, plus its quarantine table."""

import dagster as dg
from dagster_dlt import DagsterDltResource, dlt_assets

from core.config import EcouteConfig
from core.loading import LOADER_FILE_FORMAT, RAW_DATASET, make_pipeline
from core.quarantine import quarantine_table
from ingestion.pipelines import enabled_sources, source_factory, with_lock_retry
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.translators import RawTableTranslator, external_key, raw_asset_keys


def source_assets(config: EcouteConfig, name: str) -> dg.AssetsDefinition:
    @dlt_assets(
        dlt_source=source_factory(name)(config),
        dlt_pipeline=make_pipeline(config, name),
        name=f"{name}_source",
        dagster_dlt_translator=RawTableTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def _load(context: dg.AssetExecutionContext, dlt: DagsterDltResource):
        # A DuckDB lock held by another process is waited out, then named (pid) in the failure.
        yield from with_lock_retry(
            config, lambda: list(dlt.run(context=context, loader_file_format=LOADER_FILE_FORMAT))
        )

    return _load


def side_specs(name: str, loaded: dg.AssetsDefinition) -> list[dg.AssetSpec]:
    """The system a source reads and, unless a resource of the source loads it, the quarantine
    table its run fills (both shown in the graph, neither materialised by Dagster itself)."""
    quarantine = dg.AssetKey([RAW_DATASET, quarantine_table(name)])
    specs = [
        dg.AssetSpec(
            external_key(name),
            description=f"The {name} source as configured in ecoute.yml (outside the warehouse).",
            group_name="sources",
            kinds={"web" if name == "web" else "api"},
        ),
    ]
    if quarantine not in loaded.keys:
        specs.append(
            dg.AssetSpec(
                quarantine,
                description=f"Records from {name} that failed validation, with reason and payload.",
                deps=list(loaded.keys),
                group_name="ingestion",
                kinds={"dlt", "duckdb"},
            )
        )
    return specs


def loaded_raw_keys(config: EcouteConfig) -> set[dg.AssetKey]:
    """The `raw/<table>` keys this config's enabled sources load (tables and quarantine)."""
    keys: set[dg.AssetKey] = set()
    for name in enabled_sources(config):
        keys |= set(raw_asset_keys(source_factory(name)(config)))
        keys.add(dg.AssetKey([RAW_DATASET, quarantine_table(name)]))
    return keys


def defs(config: EcouteConfig) -> dg.Definitions:
    assets: list[dg.AssetsDefinition | dg.AssetSpec] = []
    for name in enabled_sources(config):
        loaded = source_assets(config, name)
        assets += [loaded, *side_specs(name, loaded)]
    return dg.Definitions(assets=assets)
