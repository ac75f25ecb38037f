"""The dbt text macros give the same keys on DuckDB and on Postgres under locale C (`dbt show`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres.conftest import C_LOCALE_DATABASE
from tests.postgres.server import PostgresServer

pytestmark = pytest.mark.slow

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
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
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [
            str(dbt),
            "show",
            "--quiet",
            "--output",
            "json",
            "--inline",
            sql + " order by 1",
            "--limit",
            str(len(TEXTS)),
            "--target",
            target,
            "--vars",
            json.dumps({"ecoute_engine": target, **variables}),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--project-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(folder / "target"),
            "--log-path",
            str(folder / "logs"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows: list[dict[str, str]] = json.loads(done.stdout[done.stdout.index("{") :])["show"]
    return rows


def test_text_keys_are_the_same_on_both_engines(postgres: PostgresServer, tmp_path: Path) -> None:
    duck = _show("duckdb", {"ecoute_duckdb_path": str(tmp_path / "w.duckdb")}, tmp_path / "d")
    pg = _show(
        "postgres",
        {
            "ecoute_postgres_host": "127.0.0.1",
            "ecoute_postgres_port": str(postgres.port),
            "ecoute_postgres_user": "ecoute",
            "ecoute_postgres_dbname": C_LOCALE_DATABASE,
        },
        tmp_path / "p",
    )
    assert duck[0]["near_key"] == "été—«nuage»g😀l’été"
    assert duck[3]["near_key"] == "σασǆistanbulß"
    assert duck[4]["normal"] == "panne nuage ce matin"
    assert [bool(row["matches"]) for row in duck] == [False, False, False, False, True]
    for left, right in zip(duck, pg, strict=True):
        assert {k: left[k] for k in ("near_key", "normal")} == {
            k: right[k] for k in ("near_key", "normal")
        }, TEXTS[int(left["n"])]
        assert bool(left["matches"]) == bool(right["matches"])
