"""`ecoute forget AUTHOR`: one person's rows leave raw, enrichment, intermediate and the marts,
the command is idempotent, and a re-collection of their posts does not bring them back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core import privacy
from ecoute.commands.forget import forget
from tests.core.test_privacy import (
    CANARY_KEY,
    FIXTURE_NOW,
    KEY_ENV,
    privacy_config,
    raw_authors,
    raw_warehouse,
)
from tests.dbt.conftest import BUILD_VARS, DbtWarehouse, failed_nodes
from tests.dbt.test_privacy_marts import PUBLIC, tables_holding


def bobs_mentions(wh: DbtWarehouse) -> set[str]:
    pages = wh.query("select url from raw.web_pages where lower(trim(author)) = 'bob'")
    comments = wh.query("select comment_id from raw.web_comments where lower(trim(author)) = 'bob'")
    return {f"web:{key}" for (key,) in pages + comments}


@pytest.mark.slow
def test_forget_erases_one_author_everywhere_and_for_good(
    private: DbtWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    # The shared privacy build (`build_private`, canary key), copied: the erasure changes it.
    wh = private.copy_to(tmp_path)
    config = privacy_config(tmp_path, public_accounts=PUBLIC)
    config_file = str(tmp_path / "ecoute.yml")
    ids = bobs_mentions(wh)
    assert len(ids) >= 2 and tables_holding(wh, ids)
    bob = privacy.pseudonym(CANARY_KEY.encode(), "web:bob")
    assert wh.query("select count(*) from marts.dim_authors where author_name = ?", [bob]) == [(1,)]
    others = wh.query("select count(*) from marts.dim_authors where author_name <> ?", [bob])[0][0]
    saved = {
        table: wh.query(f"select * from raw.{table} where lower(trim(author)) = 'bob'")
        for table in ("web_pages", "web_comments")
    }

    runner = CliRunner()
    asked = runner.invoke(forget, ["Bob", "--config", config_file], input="n\n")
    assert asked.exit_code != 0 and bobs_mentions(wh) == ids, "no erasure without confirmation"
    result = runner.invoke(forget, ["Bob", "--yes", "--config", config_file])
    assert result.exit_code == 0, result.output
    assert f"raw.web_pages: {len(saved['web_pages'])} rows deleted" in result.output
    assert "marts.dim_authors: 1 rows deleted" in result.output
    assert bobs_mentions(wh) == set()
    assert tables_holding(wh, ids) == []
    # dim_authors is incremental: dropped with the erasure, rebuilt whole by the next build
    assert wh.query(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'dim_authors'"
    ) == [(0,)]

    again = runner.invoke(forget, ["bob", "--yes", "--config", config_file])
    assert again.exit_code == 0 and "nothing left of 'bob'" in again.output

    # the next collection finds Bob's posts again: the build's privacy step drops them first
    con_rows = [(t, rows) for t, rows in saved.items() if rows]
    for table, rows in con_rows:
        marks = ", ".join("?" for _ in rows[0])
        wh.execute(
            lambda con, t=table, r=rows, m=marks: con.executemany(
                f"insert into raw.{t} values ({m})", [list(x) for x in r]
            )
        )
    assert bobs_mentions(wh) == ids
    summary = privacy.prepare(config, now=FIXTURE_NOW)
    assert summary.forgotten.rows["raw.web_pages"] == len(saved["web_pages"])
    rebuilt = wh.dbt("build", "--vars", BUILD_VARS)
    assert rebuilt.success, failed_nodes(rebuilt)
    assert bobs_mentions(wh) == set() and tables_holding(wh, ids) == []
    assert wh.query("select count(*) from marts.dim_authors where author_name = ?", [bob]) == [(0,)]
    kept = wh.query("select count(*) from marts.dim_authors")[0][0]
    assert 0 < kept <= others
    assert {"Chroniqueur"} <= {n for (n,) in wh.query("select author_name from marts.dim_authors")}
    assert PUBLIC  # public accounts are untouched by someone else's erasure


def test_forget_refuses_a_blank_handle_and_an_unknown_source(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, CANARY_KEY)
    config = privacy_config(tmp_path)
    path = raw_warehouse(config)
    before = raw_authors(path)
    runner = CliRunner()
    config_file = str(tmp_path / "ecoute.yml")
    blank = runner.invoke(forget, ["  ", "--yes", "--config", config_file])
    assert blank.exit_code != 0 and "handle is required" in blank.output
    unknown = runner.invoke(
        forget, ["bob", "--source", "myspace", "--yes", "--config", config_file]
    )
    assert unknown.exit_code != 0
    assert raw_authors(path) == before
    only_hn = runner.invoke(
        forget, ["Bob", "--source", "hackernews", "--yes", "--config", config_file]
    )
    assert only_hn.exit_code == 0 and "nothing left of 'Bob' on hackernews" in only_hn.output
    assert "Bob" in raw_authors(path)
