"""Publish the marts only when they may differ from the copy already published.

Every `dbt build` first writes a new marts generation (`begin_generation`), so a build that ran
dbt, even one killed halfway, is published by the next successful build. A build that ran no dbt
and finds the marts' row counts, the generation and the published copy as the last publish left
them copies nothing: the copy is only stamped as current (`core.publish.mark_published`). Anything
else that changes the marts (`ecoute forget` deletes rows) changes their counts; a published copy
replaced or removed by hand changes its stamp. A no-change build therefore costs a few counts
instead of a copy of every mart.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from core import sql_client
from core.config import EcouteConfig
from core.publish import SERVING_SCHEMAS, mark_published, publish_serving, serving_stamp
from orchestration.lib.dbt_inputs import last_built, save

GENERATION_FILE = "marts.generation.json"
RECORD_FILE = "serving.published.json"


def begin_generation(target_path: Path) -> None:
    """Say that the marts may change from now on (called before every `dbt build`)."""
    target_path.mkdir(parents=True, exist_ok=True)
    save(target_path / GENERATION_FILE, {"id": uuid.uuid4().hex})


def marts_row_counts(config: EcouteConfig) -> dict[str, int]:
    """Rows per table of the schemas the serving copy holds, in the build warehouse."""
    counts: dict[str, int] = {}
    with sql_client.connect(config, read_only=True) as con:
        for schema in SERVING_SCHEMAS:
            tables = con.execute(
                "select table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' and table_schema = ? order by 1",
                [schema],
            )
            for (table,) in tables:
                rows = con.execute(f'select count(*) from "{schema}"."{table}"')
                counts[f"{schema}.{table}"] = int(rows[0][0])
    return counts


def _state(config: EcouteConfig, target_path: Path) -> dict[str, Any]:
    generation = last_built(target_path / GENERATION_FILE).get("id")
    return {"generation": generation, "marts": marts_row_counts(config)}


def publish(config: EcouteConfig, target_path: Path) -> bool:
    """Publish the marts unless they are the ones already published; True when copied."""
    target_path.mkdir(parents=True, exist_ok=True)
    state = _state(config, target_path)
    record = last_built(target_path / RECORD_FILE)
    current = record.get("state") == state and record.get("serving") is not None
    if current and record["serving"] == serving_stamp(config):
        mark_published(config)
        copied = False
    else:
        publish_serving(config)
        copied = True
    save(target_path / RECORD_FILE, {"state": state, "serving": serving_stamp(config)})
    return copied
