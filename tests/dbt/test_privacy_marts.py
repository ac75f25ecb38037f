"""Privacy on the fixture world built as the build does (privacy step, then dbt): no clear
handle of a private author in any mart, public accounts in clear, no key anywhere, retention."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core import privacy
from core.config import EcouteConfig
from tests.core.test_privacy import CANARY_KEY, FIXTURE_NOW, KEY_ENV, privacy_config
from tests.dbt.conftest import (
    BUILD_VARS,
    DbtWarehouse,
    create_enrichment,
    create_raw,
    failed_nodes,
    new_warehouse,
)

pytestmark = pytest.mark.slow

PUBLIC = ["Chroniqueur", "dealbot"]
VOLATILE = {"refreshed_at", "last_refreshed_at", "enriched_at", "_dlt_load_id", "_dlt_id"}
# The watermarks the incremental community tables keep of their inputs' refreshed_at.
WATERMARKS = {
    "deduplicated_mentions",
    "posts_refreshed_at",
    "behaviour_refreshed_at",
    "roles_refreshed_at",
    "mentions_refreshed_at",
}


def build_private(folder: Path, **settings: Any) -> tuple[DbtWarehouse, EcouteConfig]:
    """raw → privacy step → int_mentions → enrichment → marts, as the Dagster job orders them."""
    wh = new_warehouse(folder)
    config = privacy_config(folder, public_accounts=PUBLIC, **settings)
    wh.execute(create_raw)
    privacy.prepare(config, now=FIXTURE_NOW)
    first = wh.dbt("build", "--select", "+int_mentions")
    assert first.success, failed_nodes(first)
    wh.execute(create_enrichment)
    second = wh.dbt("build", "--exclude", "+int_mentions", "--vars", BUILD_VARS)
    assert second.success, failed_nodes(second)
    return wh, config


# `private` (tests/conftest.py): `build_private` once per session, shared with test_forget.


def text_cells(wh: DbtWarehouse, schemas: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every text column of the base tables in these schemas."""
    names = ", ".join(f"'{s}'" for s in schemas)
    return wh.query(
        "select c.schema_name, c.table_name, c.column_name from duckdb_columns() c "
        "join duckdb_tables() t using (database_name, schema_name, table_name) "
        f"where c.schema_name in ({names}) and c.data_type = 'VARCHAR'"
    )


def clear_identities(wh: DbtWarehouse) -> set[str]:
    """Every private handle in raw, as collected and as int_mentions' `source:handle` id."""
    found: set[str] = set()
    for posts in privacy.RAW_POSTS:
        if not wh.relation_exists("raw", posts.table):
            continue
        rows = wh.query(f"select distinct lower(trim(author)) from raw.{posts.table}")
        for (handle,) in rows:
            if handle and handle not in {p.lower() for p in PUBLIC}:
                found |= {handle, f"{posts.source}:{handle}"}
    return found


def test_no_clear_handle_of_a_private_author_in_any_mart_column(private: DbtWarehouse):
    identities = clear_identities(private)
    assert {"bob", "web:bob", "alice martin"} <= identities
    cells = text_cells(private, ("marts",))
    assert len({(s, t) for s, t, _ in cells}) >= 10, "every mart should be scanned"
    with private.reading():
        leaks = [
            f"{s}.{t}.{c}"
            for s, t, c in cells
            if private.query(
                f'select count(*) from {s}."{t}" '
                f'where lower("{c}") in (select unnest(?::varchar[]))',
                [sorted(identities)],
            )[0][0]
        ]
    assert leaks == []
    names = {n for (n,) in private.query("select author_name from marts.dim_authors")}
    assert any(n.startswith("anon-") for n in names)


def test_public_accounts_stay_in_clear(private: DbtWarehouse):
    names = {n for (n,) in private.query("select author_name from marts.dim_authors")}
    assert {"Chroniqueur", "DealBot"} <= names
    ids = {i for (i,) in private.query("select author_id from marts.dim_authors")}
    assert "web:chroniqueur" in ids


def test_the_key_is_in_no_table_and_no_dbt_log(private: DbtWarehouse):
    schemas = ("raw", "privacy", "enrichment", "intermediate", "marts", "main")
    with private.reading():
        hits = [
            f"{s}.{t}.{c}"
            for s, t, c in text_cells(private, schemas)
            if private.query(
                f'select count(*) from {s}."{t}" where strpos("{c}", ?) > 0', [CANARY_KEY]
            )[0][0]
        ]
    assert hits == []
    assert CANARY_KEY.encode() not in private.path.read_bytes()
    for file in private.work.rglob("*"):
        if file.is_file() and file != private.path:
            assert CANARY_KEY.encode() not in file.read_bytes(), file


def mention_ids(wh: DbtWarehouse) -> set[str]:
    return {m for (m,) in wh.query("select mention_id from intermediate.int_mentions")}


def tables_holding(wh: DbtWarehouse, ids: set[str]) -> list[str]:
    """Every table of enrichment, intermediate and marts with a row of one of these mentions."""
    holding = []
    with wh.reading():
        for s, t, c in text_cells(wh, ("enrichment", "intermediate", "marts")):
            if (
                c == "mention_id"
                and wh.query(
                    f'select count(*) from {s}."{t}" '
                    "where mention_id in (select unnest(?::varchar[]))",
                    [sorted(ids)],
                )[0][0]
            ):
                holding.append(f"{s}.{t}")
    return holding


def marts_snapshot(wh: DbtWarehouse) -> dict[str, list[tuple[Any, ...]]]:
    with wh.reading():
        tables = {t for _, t, _ in text_cells(wh, ("marts",))}
        result = {}
        for table in sorted(tables):
            columns = [
                c
                for (c,) in wh.query(f"select column_name from (describe marts.{table})")
                if c not in VOLATILE | WATERMARKS
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            result[table] = sorted(
                wh.query(f"select {listed} from marts.{table}"), key=lambda row: repr(row)
            )
    return result


def test_retention_deletes_old_mentions_everywhere_and_a_rerun_changes_nothing(
    private: DbtWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    wh = private.copy_to(tmp_path)
    config = privacy_config(tmp_path, public_accounts=PUBLIC, retention_days=9)
    before = mention_ids(wh)
    old = {
        f"web:{url}"
        for (url,) in wh.query(
            "select url from raw.web_pages where published_at < ?",
            [datetime(2025, 1, 1, tzinfo=UTC)],
        )
    }
    assert old and old <= before
    assert tables_holding(wh, old), "the old mentions are enriched and in the marts"
    done = privacy.prepare(config, now=FIXTURE_NOW).retention
    assert done.rows["raw.web_pages"] == len(old)
    assert done.rows["enrichment.mention_enrichment"] == len(old)
    assert "marts.fct_mentions" in done.dropped
    rebuilt = wh.dbt("build", "--vars", BUILD_VARS)
    assert rebuilt.success, failed_nodes(rebuilt)
    assert tables_holding(wh, old) == []
    assert mention_ids(wh) == before - old
    first = marts_snapshot(wh)
    again = privacy.prepare(config, now=FIXTURE_NOW).retention
    assert again.total == 0 and again.dropped == []
    rerun = wh.dbt("build", "--vars", BUILD_VARS)
    assert rerun.success, failed_nodes(rerun)
    assert marts_snapshot(wh) == first
    # What the incremental tables kept after the deletion is what a full rebuild gives.
    incremental = built_snapshot(wh)
    full = wh.dbt("build", "--full-refresh", "--vars", BUILD_VARS)
    assert full.success, failed_nodes(full)
    rebuilt_whole = built_snapshot(wh)
    for table, rows in incremental.items():
        assert rows == rebuilt_whole[table], f"{table} differs from a full rebuild"


def built_snapshot(wh: DbtWarehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every intermediate and mart table (write times left out, floats rounded)."""
    with wh.reading():
        tables = wh.query(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE'"
        )
        result = {}
        for schema, table in sorted(tables):
            columns = [
                f'"{c}"'
                for (c,) in wh.query(f"select column_name from (describe {schema}.{table})")
                if c not in VOLATILE | WATERMARKS
            ]
            rows = wh.query(f"select {', '.join(columns)} from {schema}.{table}")
            rounded = [
                tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows
            ]
            result[f"{schema}.{table}"] = sorted(rounded, key=repr)
    return result


def test_a_demo_build_shows_pseudonyms_only_and_keeps_the_key_to_its_file(demo_build: Any):
    """The real build (Dagster job, demo world): the serving copy the page reads holds no clear
    handle, and the generated key appears in no file but its own (warehouse, serving copy, dlt
    state, Dagster run storage and event logs)."""
    import duckdb

    from core.config import load_config

    warehouse = demo_build.warehouse
    # Declared public accounts (the brands' official accounts among them) stay in clear.
    public = {
        h.strip().lower() for h in load_config(demo_build.config_file).privacy.public_accounts
    }
    handles: set[str] = set()
    for posts in privacy.RAW_POSTS:
        if demo_build.query(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = ?",
            [posts.table],
        )[0][0]:
            rows = demo_build.query(f"select distinct lower(trim(author)) from raw.{posts.table}")
            private = {h for (h,) in rows if h and h not in public}
            handles |= private | {f"{posts.source}:{h}" for h in private}
    assert len(handles) > 20
    assert demo_build.query("select count(*) from privacy.author_pseudonyms")[0][0] > 10

    con = duckdb.connect(str(demo_build.folder / "serving.duckdb"), read_only=True)
    try:
        cells = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where schema_name = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        assert len({t for t, _ in cells}) >= 10
        leaks = [
            f"{t}.{c}"
            for t, c in cells
            if con.execute(
                f'select count(*) from marts."{t}" where lower("{c}") in '
                "(select unnest(?::varchar[]))",
                [sorted(handles)],
            ).fetchone()
            != (0,)
        ]
        names = {n for (n,) in con.execute("select author_name from marts.dim_authors").fetchall()}
    finally:
        con.close()
    assert leaks == []
    assert names and all(n.startswith("anon-") or n.lower() in public for n in names)
    assert public & {n.lower() for n in names}, "official accounts should be shown in clear"

    key_file = warehouse.parent / privacy.KEY_FILE
    key = key_file.read_bytes().strip()
    assert len(key) == 64
    carriers = [
        file
        for file in demo_build.folder.rglob("*")
        if file.is_file() and file != key_file and key in file.read_bytes()
    ]
    assert carriers == []
