"""The source registry: one dlt source per name, each loaded by its own pipeline into `raw`.

Sources are looked up by name in `SOURCES`; each entry builds a `DltSource` from the config.
The same objects back the Dagster dlt assets and `ecoute run`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, TypeVar

from core import warehouse
from core.loading import LOADER_FILE_FORMAT, make_pipeline

if TYPE_CHECKING:
    from dlt.common.pipeline import LoadInfo
    from dlt.extract.source import DltSource

    from core.config import EcouteConfig

_T = TypeVar("_T")

# source name -> "module:function" building a DltSource from the config
SOURCES: dict[str, str] = {
    "web": "ingestion.web:web_source",
    "hackernews": "ingestion.hackernews:hackernews_source",
    "mastodon": "ingestion.mastodon:mastodon_source",
    "bluesky": "ingestion.bluesky:bluesky_source",
    "reddit": "ingestion.reddit:reddit_source",
    "feeds": "ingestion.feeds:feeds_source",
    "file_import": "ingestion.file_import:file_import_source",
}


def source_factory(name: str) -> Callable[[EcouteConfig], DltSource]:
    module, function = SOURCES[name].split(":")
    return getattr(import_module(module), function)


def enabled_sources(config: EcouteConfig) -> list[str]:
    """The configured, switched-on sources, in the order of `SOURCES`."""
    found = []
    for name in SOURCES:
        section = getattr(config.sources, name, None)
        if isinstance(section, list):
            if any(s.enabled for s in section):
                found.append(name)
        elif section is not None and section.enabled:
            found.append(name)
    return found


def with_lock_retry(config: EcouteConfig, load: Callable[[], _T]) -> _T:
    """Run a dlt load, waiting out (with backoff, `LOAD_LOCK_WAIT_SECONDS`) another process's lock
    on the DuckDB warehouse; past that, `WarehouseLockedError` names the holder's PID."""
    if warehouse.engine(config) != "duckdb":
        return load()
    return warehouse.retry_lock(
        load, warehouse.duckdb_path(config), warehouse.LOAD_LOCK_WAIT_SECONDS
    )


def run_source(config: EcouteConfig, name: str) -> LoadInfo:
    """Extract, normalise and load one source (outside Dagster: CLI, tests)."""
    pipeline = make_pipeline(config, name)
    source = source_factory(name)(config)
    return with_lock_retry(
        config, lambda: pipeline.run(source, loader_file_format=LOADER_FILE_FORMAT)
    )
