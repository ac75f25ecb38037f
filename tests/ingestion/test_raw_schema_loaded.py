"""Every source through its real dlt pipeline into one temporary DuckDB: each raw table it lands
has exactly the columns, types and nullability `core.raw_schema` declares.

The servers are the ones the per-source tests use (recorded API answers on loopback, the local
web site); each recording holds broken records too, so every quarantine table is loaded as well.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from core.config import EcouteConfig
from core.raw_schema import DLT_COLUMNS, RAW_TABLES, TYPES
from ingestion.pipelines import run_source
from tests.ingestion.api.helpers import FAST, FIXTURES, make_config
from tests.ingestion.api.test_bluesky import PATH as BLUESKY_PATH
from tests.ingestion.api.test_bluesky import RECORDED as BLUESKY
from tests.ingestion.api.test_bluesky import FakeAppView
from tests.ingestion.api.test_hackernews import RECORDED as HACKERNEWS
from tests.ingestion.api.test_hackernews import FakeAlgolia
from tests.ingestion.api.test_mastodon import RECORDED as MASTODON
from tests.ingestion.api.test_mastodon import FakeMastodon
from tests.ingestion.api.test_reddit import RECORDED as REDDIT
from tests.ingestion.api.test_reddit import FakeReddit
from tests.ingestion.web.site import LOREM, LocalSite, Route, article, comment

SOURCES = ("web", "hackernews", "mastodon", "bluesky", "reddit", "feeds", "file_import")


def _serve(httpserver: Any, site: LocalSite) -> None:
    httpserver.expect_request("/hn/search_by_date").respond_with_handler(
        FakeAlgolia(copy.deepcopy(HACKERNEWS["hits"]))
    )
    mastodon = FakeMastodon(copy.deepcopy(MASTODON))
    httpserver.expect_request("/api/v1/timelines/tag/NuageTelecom").respond_with_handler(mastodon)
    httpserver.expect_request(BLUESKY_PATH).respond_with_handler(
        FakeAppView(copy.deepcopy(BLUESKY))
    )
    httpserver.expect_request("/search.json").respond_with_handler(
        FakeReddit(copy.deepcopy(REDDIT))
    )
    httpserver.expect_request("/feed/").respond_with_data(
        (FIXTURES / "feed_nuage_blog.rss").read_bytes(), content_type="application/rss+xml"
    )
    httpserver.expect_request("/laughs.xml").respond_with_data(
        (FIXTURES / "feed_billion_laughs.xml").read_bytes()
    )
    thread = comment(1, "Paul", "Encore une panne.", comment(2, "Marie", "Pareil."))
    site.routes.update(
        {
            "/robots.txt": Route("User-agent: *\n", headers={"Content-Type": "text/plain"}),
            "/": Route('<html><body><a href="/a/panne">P</a><a href="/a/nul">N</a></body></html>'),
            "/a/panne": Route(article("panne", "Panne chez Nuage", LOREM, thread)),
            "/a/nul": Route(b"<html><body>\x00\x00<p>nul</p></body></html>"),
        }
    )


def _config(tmp_path: Path, httpserver: Any, site: LocalSite) -> EcouteConfig:
    root = httpserver.url_for("/").rstrip("/")
    api = {"initial_days": 3650, "page_size": 2, **FAST}
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in ("import_export.jsonl", "import_export.csv"):
        shutil.copy(FIXTURES / name, exports / name)
    sources = {
        "web": [{"name": "news", "start_urls": [site.url("/")]}],
        "hackernews": {"base_url": root + "/hn", "initial_days": 3650, **FAST},
        "mastodon": {"instances": [root], "hashtags": ["#NuageTelecom"], **api},
        "bluesky": {"base_url": root, "queries": ["Nuage", "Célest"], **api},
        "reddit": {
            "base_url": root,
            "oauth_base_url": f"{root}/oauth",
            "queries": ["Nuage"],
            **api,
        },
        "feeds": {"urls": [root + "/feed/", root + "/laughs.xml"], **FAST},
        "file_import": {"paths": ["exports/*.jsonl", "exports/*.csv"]},
    }
    return make_config(
        tmp_path, sources, crawler={"request_delay_s": 0, "allow_hosts": ["127.0.0.1"]}
    )


def _loaded(config: EcouteConfig) -> dict[str, dict[str, tuple[str, bool]]]:
    """raw table -> column -> (DuckDB type, nullable), as information_schema reports them."""
    con = duckdb.connect(str(config.resolve(config.warehouse.path)), read_only=True)
    try:
        found = con.execute(
            "select table_name, column_name, data_type, is_nullable = 'YES' "
            "from information_schema.columns where table_schema = 'raw' "
            "and not starts_with(table_name, '_dlt') order by table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, kind, nullable in found:
        tables.setdefault(table, {})[column] = (kind.lower(), nullable)
    return tables


def _declared(name: str) -> dict[str, tuple[str, bool]]:
    columns = {c.name: (TYPES[c.type].duckdb, not c.required) for c in RAW_TABLES[name].columns}
    return columns | {name: ("varchar", False) for name in DLT_COLUMNS}


@pytest.fixture
def no_reddit_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDDIT_CLIENT_ID", raising=False)
    monkeypatch.delenv("REDDIT_CLIENT_SECRET", raising=False)


@pytest.mark.slow
def test_every_loaded_raw_table_matches_the_declaration(
    tmp_path: Path, httpserver: Any, no_reddit_credentials: None
) -> None:
    with LocalSite() as site:
        _serve(httpserver, site)
        config = _config(tmp_path, httpserver, site)
        for source in SOURCES:
            run_source(config, source)
    loaded = _loaded(config)

    # The corrections store is not a collection source: tests/core/test_corrections.py loads it.
    collected = set(RAW_TABLES) - {"corrections", "coding_answers"}
    assert sorted(loaded) == sorted(collected), "a declared table was not loaded, or vice versa"
    drift = {
        name: sorted(set(columns.items()) ^ set(_declared(name).items()))
        for name, columns in loaded.items()
        if columns != _declared(name)
    }
    assert not drift, f"loaded vs declared columns differ (name, (type, nullable)): {drift}"
