"""Read-only access to the published marts, for the page and the alert sensor.

On DuckDB this opens the *serving* copy through `core.serving` (read-only, no file, network or
extension access; never the build database, so readers keep working during a build). On Postgres
it reads the `marts` schema of the warehouse directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core import serving, warehouse
from core.config import EcouteConfig
from core.serving import NoData as NoData  # raised before a first build; readers catch it here


@dataclass
class Marts:
    """A read-only handle on the marts."""

    config: EcouteConfig

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        if warehouse.engine(self.config) == "postgres":
            return self._query_postgres(sql, params or [])
        con = serving.connect(self.config)
        try:
            serving.check_reads_only(con, sql)
            return con.execute(sql, params or []).df()
        finally:
            con.close()

    def _query_postgres(self, sql: str, params: list[Any]) -> pd.DataFrame:
        from sqlalchemy import create_engine

        engine = create_engine(warehouse.postgres_dsn(self.config))
        with engine.connect() as con:
            return pd.read_sql(sql.replace("?", "%s"), con.connection, params=params)
