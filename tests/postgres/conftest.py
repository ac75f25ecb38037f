"""A throwaway Postgres server per test session (skipped, with the reason, where none can start)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from tests.postgres.server import PostgresServer, missing_reason, postgres_server


def _skip_reason() -> str | None:
    for module, extra in (("psycopg2", "dlt[postgres]"), ("dbt.adapters.postgres", "dbt-postgres")):
        if importlib.util.find_spec(module.split(".")[0]) is None or (
            "." in module and importlib.util.find_spec(module) is None
        ):
            return f"{extra} not installed: pip install -e '.[postgres]'"
    return missing_reason()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    with postgres_server(databases=("ecoute", "parity")) as server:
        yield server
