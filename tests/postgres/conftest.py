"""A throwaway Postgres server per test session (skipped, with the reason, where none can start)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from tests.postgres.server import PostgresServer, execute, missing_reason, postgres_server

C_LOCALE_DATABASE = "parity"
"""Created with locale `C` (there `lower('É')` is `É` and the server's own classes differ from
C.UTF-8's) and a default time zone far from UTC, so a build that matches DuckDB here leans on
neither the database locale nor its time zone."""
FAR_TIME_ZONE = "Pacific/Chatham"  # UTC+12:45: a day bucket taken in it moves most timestamps


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
    with postgres_server(databases=("ecoute",)) as server:
        execute(
            server,
            f'create database "{C_LOCALE_DATABASE}" template template0 '
            "encoding 'UTF8' lc_collate 'C' lc_ctype 'C'",
        )
        execute(server, f"alter database \"{C_LOCALE_DATABASE}\" set timezone = '{FAR_TIME_ZONE}'")
        yield server
