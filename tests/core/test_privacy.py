"""core.privacy on a raw-only warehouse: keys, pseudonyms, public accounts, retention, erasure."""

from __future__ import annotations

import logging
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from core import privacy
from core.config import EcouteConfig, load_config
from tests.dbt.conftest import create_raw

KEY_ENV = "ECOUTE_TEST_PSEUDONYM_KEY"
CANARY_KEY = "canary-pseudonym-key-7f3e9b21"
FIXTURE_NOW = datetime(2025, 1, 10, tzinfo=UTC)


def privacy_config(folder: Path, **settings: Any) -> EcouteConfig:
    """A small project file in `folder` (warehouse beside it) with these privacy settings."""
    data = {
        "project": {"name": "privacy test"},
        "brands": [{"name": "Nuage"}],
        "warehouse": {
            "engine": "duckdb",
            "path": str(folder / "warehouse.duckdb"),
            "serving_path": str(folder / "serving.duckdb"),
        },
        "privacy": {"key_env": KEY_ENV, "retention_days": None, **settings},
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ecoute.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def raw_warehouse(config: EcouteConfig) -> Path:
    path = config.resolve(config.warehouse.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        create_raw(con)
    finally:
        con.close()
    return path


def query(path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def raw_authors(path: Path) -> set[str]:
    """Every handle left in a raw table that has an author column."""
    tables = query(
        path,
        "select table_name from duckdb_columns() "
        "where schema_name = 'raw' and column_name = 'author'",
    )
    found: set[str] = set()
    for (table,) in tables:
        rows = query(path, f"select trim(author) from raw.{table} where author is not null")
        found |= {author for (author,) in rows}
    return found


def test_key_from_the_environment_else_a_private_file_created_once(tmp_path, monkeypatch):
    config = privacy_config(tmp_path)
    monkeypatch.delenv(KEY_ENV, raising=False)
    first = privacy.load_key(config)
    path = privacy.key_path(config)
    assert path.parent == tmp_path and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert privacy.load_key(config) == first
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    assert privacy.load_key(config) == CANARY_KEY.encode()


def test_pseudonyms_are_keyed_stable_and_read_as_pseudonyms():
    one = privacy.pseudonym(b"k1", "web:bob")
    assert one.startswith("anon-") and len(one) == len("anon-") + privacy.DIGITS
    assert one == privacy.pseudonym(b"k1", "web:bob")
    assert one != privacy.pseudonym(b"k2", "web:bob")
    assert one != privacy.pseudonym(b"k1", "web:alice martin")


def test_every_author_gets_a_pseudonym_except_public_accounts(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path, public_accounts=["chroniqueur", "DEALBOT"])
    path = raw_warehouse(config)
    privacy.prepare(config, now=FIXTURE_NOW)
    rows = dict(query(path, "select author_key, pseudonym from privacy.author_pseudonyms"))
    assert rows and len(rows) == len({k for k in rows})
    assert rows["web:chroniqueur"] == "Chroniqueur"
    assert rows["web:dealbot"] == "DealBot"
    private = {k: v for k, v in rows.items() if k not in {"web:chroniqueur", "web:dealbot"}}
    assert all(v.startswith("anon-") for v in private.values())
    assert rows["web:bob"] == privacy.pseudonym(CANARY_KEY.encode(), "web:bob")
    # "Chloé" and "chloé" are one author
    assert "web:chloé" in rows and "web:Chloé" not in rows
    # the key is in no table of the warehouse
    assert not _cells_containing(path, CANARY_KEY)


def test_pseudonymise_off_keeps_handles(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path, pseudonymise_authors=False)
    path = raw_warehouse(config)
    privacy.prepare(config, now=FIXTURE_NOW)
    shown = {v for (v,) in query(path, "select pseudonym from privacy.author_pseudonyms")}
    assert "Bob" in shown and not any(v.startswith("anon-") for v in shown)


def _cells_containing(path: Path, needle: str) -> list[str]:
    columns = query(
        path,
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and not internal",
    )
    return [
        f"{s}.{t}.{c}"
        for s, t, c in columns
        if query(path, f'select count(*) from "{s}"."{t}" where strpos("{c}", ?) > 0', [needle])[0][
            0
        ]
    ]


def test_retention_deletes_old_raw_rows_logs_counts_and_is_idempotent(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path, retention_days=9)
    cutoff = datetime(2025, 1, 1, tzinfo=UTC)  # FIXTURE_NOW - 9 days
    path = raw_warehouse(config)
    old = query(path, "select count(*) from raw.web_pages where published_at < ?", [cutoff])[0][0]
    before = query(path, "select count(*) from raw.web_pages")[0][0]
    assert 0 < old < before, "the fixture needs old and recent pages"
    with caplog.at_level(logging.INFO, logger="ecoute.privacy"):
        first = privacy.prepare(config, now=FIXTURE_NOW)
    assert first.retention.rows["raw.web_pages"] == old
    assert query(path, "select count(*) from raw.web_pages")[0][0] == before - old
    for posts in privacy.RAW_POSTS:
        if posts.table in {"mastodon_posts", "feed_entries", "import_posts"}:
            continue  # not in the fixture
        left = query(
            path,
            f"select count(*) from raw.{posts.table} where coalesce({posts.time}, fetched_at) < ?",
            [cutoff],
        )
        assert left == [(0,)], posts.table
    assert f"deleted {old} rows from raw.web_pages" in caplog.text
    # counts only, never content or handles
    assert "Reporter" not in caplog.text and "http" not in caplog.text
    again = privacy.prepare(config, now=FIXTURE_NOW)
    assert again.retention.total == 0


def test_forget_removes_one_author_and_keeps_them_out(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path)
    path = raw_warehouse(config)
    privacy.prepare(config, now=FIXTURE_NOW)
    saved = query(path, "select * from raw.web_comments where lower(trim(author)) = 'chloé'")
    assert len(saved) >= 2
    with caplog.at_level(logging.INFO, logger="ecoute.privacy"):
        done = privacy.forget(config, "  CHLOÉ ")
    assert done.rows["raw.web_comments"] == len(saved)
    assert "chloé" not in {a.lower() for a in raw_authors(path)}
    assert "web:chloé" not in dict(query(path, "select * from privacy.author_pseudonyms"))
    assert "chlo" not in caplog.text.lower()
    assert privacy.forget(config, "chloé").total == 0
    # the hash list names nobody
    assert not _cells_containing(path, "hlo")
    # a re-collection brings the rows back to raw; the next build deletes them again
    con = duckdb.connect(str(path))
    try:
        placeholders = ", ".join("?" for _ in saved[0])
        con.executemany(
            f"insert into raw.web_comments values ({placeholders})", [list(r) for r in saved]
        )
    finally:
        con.close()
    summary = privacy.prepare(config, now=FIXTURE_NOW)
    assert summary.forgotten.rows["raw.web_comments"] == len(saved)
    assert "chloé" not in {a.lower() for a in raw_authors(path)}


def test_forget_one_source_leaves_the_same_handle_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path)
    path = raw_warehouse(config)
    web_before = query(path, "select count(*) from raw.web_pages where author = 'Bob'")[0][0]
    assert web_before
    privacy.forget(config, "bob", source="hackernews")
    assert (
        query(path, "select count(*) from raw.web_pages where author = 'Bob'")[0][0] == web_before
    )
    privacy.forget(config, "bob", source="web")
    assert "Bob" not in raw_authors(path)


def test_every_incremental_table_is_dropped_after_a_deletion():
    """An incremental table a deletion does not drop keeps counts of the deleted rows (new rows
    in the same build can hide the loss from a row count): every incremental model of
    `intermediate` and `marts` (read from the dbt project) is in the lists."""
    models = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
    incremental = {
        (schema, sql.stem)
        for schema in ("intermediate", "marts")
        for sql in (models / schema).rglob("*.sql")
        if re.search(r"materialized\s*=\s*['\"]incremental['\"]", sql.read_text())
    }
    assert ("marts", "dim_authors") in incremental
    assert set(privacy.REBUILT_AFTER_DELETION) == incremental
    assert {("marts", t) for t in privacy.INCREMENTAL_MARTS} == {
        (s, t) for s, t in incremental if s == "marts"
    }
