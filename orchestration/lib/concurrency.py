"""Whether day partitions run side by side, and what keeps writers apart where they must be.

DuckDB has one writer per file: every writer takes a slot of `WAREHOUSE_POOL` (limit 1) and a
backfill is one run over its days. Postgres takes concurrent writers, so there the day-partitioned
dbt step takes a slot of `PARTITION_POOL` (limit `PARTITION_WRITERS`) and a backfill is one run per
day. The warehouse itself then keeps dbt runs apart where they would collide:
- a day partition's run rewrites only the day-scoped incremental models and holds the dbt build
  lock shared, so runs of other days go on beside it; two of them writing one model wait for each
  other in the model's pre-hook (`serialise_model_writes`), so no rows are written twice;
- every other dbt run (before enrichment, a whole build after it) holds the lock exclusively: it
  replaces views and whole tables that a partition's run reads, or that another such run writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg

from core import sql_client, warehouse
from core.config import EcouteConfig
from orchestration.lib.settings import PARTITION_POOL, PARTITION_WRITERS, WAREHOUSE_POOL

# One Postgres advisory lock (one-key space) for the dbt runs of a warehouse; the models' own
# locks use the two-key space (`macros/concurrent_writes.sql`), so they never meet this one.
BUILD_LOCK = "hashtext('ecoute dbt build')"


def side_by_side(config: EcouteConfig) -> bool:
    """Whether this warehouse's engine lets day partitions write at once (Postgres)."""
    return warehouse.engine(config) == "postgres"


def partition_pool(config: EcouteConfig) -> str:
    """The pool of the day-partitioned dbt step."""
    return PARTITION_POOL if side_by_side(config) else WAREHOUSE_POOL


def backfill_policy(config: EcouteConfig) -> dg.BackfillPolicy:
    """One run per day where days run side by side, else one run over the whole range."""
    if side_by_side(config):
        return dg.BackfillPolicy.multi_run(1)
    return dg.BackfillPolicy.single_run()


def set_pool_limits(instance: Any, config: EcouteConfig) -> None:
    """Give the partition pool its limit on Postgres. Every other pool keeps the instance's
    `default_limit` of 1 (`instance/dagster.yaml`); on DuckDB no step uses the partition pool."""
    storage = instance.event_log_storage
    if side_by_side(config) and storage.supports_global_concurrency_limits:
        storage.set_concurrency_slots(PARTITION_POOL, PARTITION_WRITERS)


@contextmanager
def dbt_build_lock(config: EcouteConfig, shared: bool) -> Iterator[None]:
    """Hold the warehouse's dbt build lock while a dbt command runs (Postgres; nothing on DuckDB,
    whose pool of one writer already keeps dbt commands apart). `shared` for a day partition's
    run, exclusive for any other."""
    if not side_by_side(config):
        yield
        return
    kind = "_shared" if shared else ""
    with sql_client.connect(config) as con:
        con.execute(f"select pg_advisory_lock{kind}({BUILD_LOCK})")
        try:
            yield
        finally:
            con.execute(f"select pg_advisory_unlock{kind}({BUILD_LOCK})")
