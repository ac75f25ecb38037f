"""core.privacy on Postgres under locale C: the same pseudonyms, retention and erasure as DuckDB.

One raw fixture is written to a DuckDB file and to a Postgres database of locale `C` (where a
plain `lower('CHLOÉ')` is `chloÉ`); both then run the build's privacy step and `forget`, and
every table the step writes or deletes from must hold the same rows.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from core import privacy, sql_client
from core.config import EcouteConfig, load_config
from tests.core.test_privacy import CANARY_KEY, FIXTURE_NOW, KEY_ENV, privacy_config
from tests.dbt.conftest import create_raw
from tests.postgres.server import PostgresServer, execute

pytestmark = pytest.mark.slow

_databases = itertools.count()


def _both(
    postgres: PostgresServer, folder: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any
) -> dict[str, EcouteConfig]:
    """A DuckDB and a Postgres warehouse (a fresh locale-C database) holding the raw fixture."""
    database = f"privacy_{next(_databases)}"
    execute(
        postgres,
        f"create database {database} template template0 encoding 'UTF8' "
        "lc_collate 'C' lc_ctype 'C'",
    )
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", postgres.dsn(database))
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    configs = {}
    for engine in ("duckdb", "postgres"):
        config = privacy_config(folder / engine, **settings)
        data = yaml.safe_load(config.source_file.read_text(encoding="utf-8"))
        data["warehouse"]["engine"] = engine
        config.source_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        configs[engine] = load_config(config.source_file)
        with sql_client.connect(configs[engine]) as con:
            create_raw(con)  # type: ignore[arg-type]  # `?` placeholders run on both engines
    return configs


def _rows(config: EcouteConfig, sql: str) -> list[tuple[Any, ...]]:
    with sql_client.connect(config, read_only=True) as con:
        return sorted(con.execute(sql), key=repr)


def _same(configs: dict[str, EcouteConfig], sql: str) -> list[tuple[Any, ...]]:
    duck, pg = (_rows(config, sql) for config in configs.values())
    assert duck == pg, sql
    return duck


def _authors_sql() -> str:
    return " union all ".join(
        f"select '{p.table}' as t, {p.key} as k, author from raw.{p.table}"
        for p in privacy.RAW_POSTS
        if p.table in {"web_pages", "web_comments", "hackernews_items"}
    )


def test_pseudonyms_and_retention_match_duckdb(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = _both(postgres, tmp_path, monkeypatch, retention_days=9, public_accounts=["DealBot"])
    summaries = [privacy.prepare(config, now=FIXTURE_NOW) for config in configs.values()]
    assert summaries[0].authors == summaries[1].authors > 0
    assert summaries[0].retention.rows == summaries[1].retention.rows
    assert summaries[1].retention.rows["raw.web_pages"] > 0
    pseudonyms = dict(_same(configs, "select * from privacy.author_pseudonyms"))
    assert "web:chloé" in pseudonyms and "web:chloÉ" not in pseudonyms
    assert pseudonyms["web:chloé"] == privacy.pseudonym(CANARY_KEY.encode(), "web:chloé")
    assert pseudonyms["web:dealbot"] == "DealBot"
    _same(configs, _authors_sql())


def test_forget_matches_duckdb_and_keeps_them_out(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = _both(postgres, tmp_path, monkeypatch)
    for config in configs.values():
        privacy.prepare(config, now=FIXTURE_NOW)
    saved = _same(configs, "select * from raw.web_comments where author in ('Chloé', 'chloé')")
    assert len(saved) >= 2
    done = [privacy.forget(config, "  CHLOÉ ") for config in configs.values()]
    assert done[0].rows == done[1].rows and done[1].rows["raw.web_comments"] == len(saved)
    assert [privacy.forget(config, "chloé").total for config in configs.values()] == [0, 0]
    authors = {author for _, _, author in _same(configs, _authors_sql())}
    assert "Chloé" not in authors and "chloé" not in authors
    _same(configs, "select * from privacy.author_pseudonyms")
    # a re-collection brings the rows back; the next build's privacy step deletes them again
    pg = configs["postgres"]
    with sql_client.connect(pg) as con:
        marks = ", ".join("?" for _ in saved[0])
        for row in saved:
            con.execute(f"insert into raw.web_comments values ({marks})", list(row))
    again = privacy.prepare(pg, now=FIXTURE_NOW)
    assert again.forgotten.rows["raw.web_comments"] == len(saved)
    assert not _rows(pg, "select * from raw.web_comments where author in ('Chloé', 'chloé')")
