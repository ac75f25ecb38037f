"""Read-only access to the published marts, for the page and the alert sensor.

On DuckDB this opens the *serving* copy read-only (never the build database, so readers keep
working during a build). On Postgres it reads the `marts` schema of the warehouse directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core import warehouse
from core.config import EcouteConfig


class NoData(RuntimeError):
    """No published build yet."""


@dataclass
class Marts:
    """A read-only handle on the marts."""

    config: EcouteConfig

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        if warehouse.engine(self.config) == "postgres":
            return self._query_postgres(sql, params or [])
        import duckdb

        path = warehouse.serving_path(self.config)
        if not path.exists():
            raise NoData(f"no published build at {path}: run `ecoute run` first")
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute(sql, params or []).df()
        finally:
            con.close()

    def _query_postgres(self, sql: str, params: list[Any]) -> pd.DataFrame:
        from sqlalchemy import create_engine

        engine = create_engine(warehouse.postgres_dsn(self.config))
        with engine.connect() as con:
            return pd.read_sql(sql.replace("?", "%s"), con.connection, params=params)
