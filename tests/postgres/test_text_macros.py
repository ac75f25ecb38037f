"""The dbt text macros give the same keys on DuckDB and on Postgres under locale C, and dbt's
Postgres sessions run in UTC (`dbt show` on the project's profile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres.conftest import C_LOCALE_DATABASE, FAR_TIME_ZONE
from tests.postgres.dbt_cli import postgres_vars, show
from tests.postgres.server import PostgresServer

pytestmark = pytest.mark.slow

TEXTS = [
    "ÉTÉ — «Nuage» 5G!!! 😀 l’été",  # accents, typographic punctuation, emoji
    "Zest\u00a0Mobile\u2009: -50 % sur le forfait",  # no-break and thin spaces
    "a_b`c[d]e\\f^g{h}i|j~k\tl\x0bm",  # every ASCII punctuation range, tab, vertical tab
    "ΣΑΣ Ǆ İSTANBUL ẞ",  # one-to-one case folding, as DuckDB's
    "  Panne   NUAGE\n\nce matin  ",
]


def _show(target: str, variables: dict[str, str], folder: Path) -> list[dict[str, str]]:
    literals = [text.replace("'", "''") for text in TEXTS]
    sql = " union all ".join(
        f"select {i} as n, {{{{ near_duplicate_text(\"'{text}'\") }}}} as near_key, "
        f"{{{{ normalized_text(\"'{text}'\") }}}} as normal, "
        f"{{{{ regex_matches(\"'{text}'\", 'panne') }}}} as matches"
        for i, text in enumerate(literals)
    )
    return show(sql + " order by 1", target, variables, folder, len(TEXTS))


def test_text_keys_are_the_same_on_both_engines(postgres: PostgresServer, tmp_path: Path) -> None:
    duck = _show("duckdb", {"ecoute_duckdb_path": str(tmp_path / "w.duckdb")}, tmp_path / "d")
    pg = _show("postgres", postgres_vars(postgres.port, C_LOCALE_DATABASE), tmp_path / "p")
    assert duck[0]["near_key"] == "été—«nuage»g😀l’été"
    assert duck[3]["near_key"] == "σασǆistanbulß"
    assert duck[4]["normal"] == "panne nuage ce matin"
    assert [bool(row["matches"]) for row in duck] == [False, False, False, False, True]
    for left, right in zip(duck, pg, strict=True):
        assert {k: left[k] for k in ("near_key", "normal")} == {
            k: right[k] for k in ("near_key", "normal")
        }, TEXTS[int(left["n"])]
        assert bool(left["matches"]) == bool(right["matches"])


def test_dbt_sessions_run_in_utc(postgres: PostgresServer, tmp_path: Path) -> None:
    """The Postgres target pins the session time zone to UTC, as the DuckDB one does, on a
    database whose own default is far from it."""
    sql = (
        "select current_setting('TimeZone') as zone, current_setting('search_path') as path, "
        "cast(cast(timestamp with time zone '2025-01-06 23:30:00+00' as date) as varchar) as day"
    )
    variables = postgres_vars(postgres.port, C_LOCALE_DATABASE)
    rows = show(sql, "postgres", variables, tmp_path, 1)
    assert rows == [{"zone": "UTC", "path": '"$user",public', "day": "2025-01-06"}], (
        f"the database's default is {FAR_TIME_ZONE}"
    )
