"""How every dlt pipeline of the project loads the warehouse: dataset, file format, working folder.

Ingestion (the `raw` dataset) and enrichment (the `enrichment` dataset) both load through
`make_pipeline`, so they share one destination and one loader file format (parquet: about 30x
faster than the default insert format into DuckDB at 100k rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

import dlt

from core import warehouse

if TYPE_CHECKING:
    from core.config import EcouteConfig

RAW_DATASET = "raw"
LOADER_FILE_FORMAT: Final[Literal["parquet"]] = "parquet"


def pipelines_dir(config: EcouteConfig) -> str:
    """dlt's working folder (state, pending packages), in the warehouse's state folder (one per
    engine and warehouse, `warehouse.state_dir`)."""
    return str(warehouse.state_dir(config) / "dlt")


def make_pipeline(config: EcouteConfig, name: str, dataset: str = RAW_DATASET) -> dlt.Pipeline:
    """A dlt pipeline named `name` loading `dataset` of this config's warehouse."""
    dlt.config["runtime.dlthub_telemetry"] = False  # no anonymous usage pings from any pipeline
    return dlt.pipeline(
        pipeline_name=name,
        destination=warehouse.dlt_destination(config),
        dataset_name=dataset,
        pipelines_dir=pipelines_dir(config),
    )
