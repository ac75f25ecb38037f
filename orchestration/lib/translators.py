"""How dlt resources and dbt nodes become Dagster assets, so lineage connects without glue.

A dlt table lands in schema `raw` and is the asset `raw/<table>`; dagster-dbt names a dbt source
`<source>/<table>`, so the dbt source `raw.web_pages` *is* the dlt asset `raw/web_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dlt import DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.extract.source import DltSource

from core.loading import RAW_DATASET
from core.raw_schema import RAW_TABLES


def external_key(source: str) -> dg.AssetKey:
    """The upstream system a source collects from (a site, an API), shown at the graph's edge."""
    return dg.AssetKey(["external", source])


class RawTableTranslator(DagsterDltTranslator):
    """dlt resource → `raw/<table>`, grouped under `ingestion`, fed by `external/<source>`."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        resource = data.resource
        table = RAW_TABLES.get(resource.name)
        return spec.replace_attributes(
            key=dg.AssetKey([RAW_DATASET, resource.name]),
            deps=[external_key(resource.source_name)],
            group_name="ingestion",
            kinds={"dlt", "duckdb"},
            description=(
                f"{table.description} Loaded by dlt from the {resource.source_name} source, "
                f"merged on `{table.key}`."
                if table
                else spec.description
                or f"`{resource.name}` as the {resource.source_name} source loads it with dlt."
            ),
        )


class LayeredDbtTranslator(DagsterDbtTranslator):
    """dbt models are grouped by layer (staging, intermediate, marts) and tagged dbt/duckdb.

    `hidden` names the raw tables of sources the config does not enable: no model shows them as
    upstream, so the graph holds no empty stand-in asset for them (their staging views still
    build, empty, for `int_mentions`).
    """

    def __init__(self, hidden: frozenset[dg.AssetKey] = frozenset()) -> None:
        super().__init__()
        self.hidden = hidden

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props.get("resource_type") != "model":
            return spec
        fqn = props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else "models"
        deps = [dep for dep in spec.deps if dep.asset_key not in self.hidden]
        return spec.replace_attributes(
            group_name=layer,
            kinds={"dbt", "duckdb"},
            deps=deps,
            description=spec.description or f"dbt model `{props.get('name')}` ({layer}).",
        )


def raw_asset_keys(source: DltSource) -> list[dg.AssetKey]:
    """The `raw/<table>` keys of a dlt source's selected resources, as RawTableTranslator names."""
    return [dg.AssetKey([RAW_DATASET, name]) for name in source.selected_resources]
