"""The web source through `run_source` into a temporary DuckDB: rows, threads, increments."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core.config import parse_config
from ingestion.pipelines import run_source

from .site import LOREM, LocalSite, Route, article, comment, config_data, make_config


def _serve_news(site: LocalSite, extra_comment: bool = False) -> None:
    thread = comment(1, "Paul", "Encore une panne, je résilie.", comment(2, "Marie", "Pareil."))
    if extra_comment:
        thread += comment(3, "Zoé", "Tout va bien chez moi.")
    site.routes.update(
        {
            "/robots.txt": Route(
                "User-agent: *\nDisallow: /admin/\n", headers={"Content-Type": "text/plain"}
            ),
            "/": Route(
                '<html><body><a href="/articles/panne.html">Panne</a>'
                '<a href="/?page=2">suite</a><a href="/admin/">admin</a>'
                '<a href="/agenda/2026/11">agenda</a><a href="/?page=9999">fin</a>'
                '<a href="/articles/panne.html?utm_source=x#top">dup</a></body></html>'
            ),
            "/?page=2": Route('<html><body><a href="/articles/tarifs.html">T</a></body></html>'),
            "/articles/panne.html": Route(
                article("panne", "Panne chez Nuage", LOREM, thread), etag=True
            ),
            "/articles/tarifs.html": Route(
                article("tarifs", "Nouveaux tarifs", [p.upper() for p in LOREM]), etag=True
            ),
            "/articles/copie.html": Route(
                article("copie", "Panne chez Nuage (reprise)", LOREM), etag=True
            ),
            "/sitemap.xml": Route(
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.url('/articles/copie.html')}</loc>"
                "<lastmod>2026-10-03</lastmod></url></urlset>",
                headers={"Content-Type": "application/xml"},
            ),
            "/admin/": Route(article("admin", "Secret", LOREM)),
        }
    )


def _rows(config, sql: str) -> list[tuple]:
    con = duckdb.connect(str(config.resolve(config.warehouse.path)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _config(tmp_path: Path, site: LocalSite):
    return make_config(
        tmp_path,
        [
            {
                "name": "news",
                "start_urls": [site.url("/")],
                "sitemaps": [site.url("/sitemap.xml")],
                "max_depth": 2,
            }
        ],
    )


@pytest.mark.slow
def test_crawl_loads_pages_and_comment_threads(tmp_path: Path, site: LocalSite) -> None:
    _serve_news(site)
    config = _config(tmp_path, site)
    run_source(config, "web")

    pages = _rows(
        config, "select url, site, title, author, lang_hint from raw.web_pages order by 1"
    )
    assert [p[0] for p in pages] == [
        site.url("/articles/copie.html"),
        site.url("/articles/panne.html"),
        site.url("/articles/tarifs.html"),
    ]
    assert {p[1] for p in pages} == {"news"} and pages[1][2] == "Panne chez Nuage"
    assert pages[1][3] == "Jeanne" and pages[1][4] == "fr"
    text = _rows(config, "select text from raw.web_pages where url like '%panne%'")[0][0]
    assert "panne géante" in text and "je résilie" not in text  # comments are not the article
    comments = _rows(
        config, "select comment_id, parent_id, author, text from raw.web_comments order by 1"
    )
    page = site.url("/articles/panne.html")
    assert comments == [
        (f"{page}#comment-1", None, "Paul", "Encore une panne, je résilie."),
        (f"{page}#comment-2", f"{page}#comment-1", "Marie", "Pareil."),
    ]
    # syndicated copy: same text on another URL, both kept (dbt decides which one counts)
    copies = _rows(
        config,
        "select url from raw.web_pages where content_hash in (select content_hash "
        "from raw.web_pages group by 1 having count(*) > 1) order by 1",
    )
    assert copies == [(site.url("/articles/copie.html"),), (site.url("/articles/panne.html"),)]
    fetched = site.paths()
    assert "/admin/" not in fetched  # robots.txt
    assert "/agenda/2026/11" not in fetched and "/?page=9999" not in fetched  # traps
    assert fetched.count("/articles/panne.html") == 1  # canonicalised duplicate link
    agents = {headers.get("User-Agent") for _, headers in site.requests}
    assert agents == {"EcouteBot/0.1 (+https://github.com/ecoute/ecoute)"}


@pytest.mark.slow
def test_second_run_loads_only_what_changed(tmp_path: Path, site: LocalSite) -> None:
    _serve_news(site)
    config = _config(tmp_path, site)
    run_source(config, "web")
    loaded = "select count(*), max(_dlt_load_id) from raw.{}"
    first_pages, first_load = _rows(config, loaded.format("web_pages"))[0]
    site.requests.clear()

    run_source(config, "web")  # nothing changed on the site
    pages, last_load = _rows(config, loaded.format("web_pages"))[0]
    assert (pages, last_load) == (first_pages, first_load)
    assert _rows(config, loaded.format("web_comments"))[0][1] == first_load
    assert "/articles/copie.html" not in site.paths()  # sitemap lastmod unchanged: not fetched
    revisits = [h for p, h in site.requests if p == "/articles/panne.html"]
    assert revisits and all("If-None-Match" in h for h in revisits)  # conditional GET

    _serve_news(site, extra_comment=True)  # a new comment appears
    run_source(config, "web")
    new = _rows(
        config,
        f"select comment_id from raw.web_comments where _dlt_load_id > '{first_load}' order by 1",
    )
    assert new == [(site.url("/articles/panne.html#comment-3"),)]
    assert _rows(config, loaded.format("web_pages"))[0][1] == first_load  # article unchanged


@pytest.mark.slow
def test_bad_pages_are_quarantined_and_the_run_goes_on(tmp_path: Path, site: LocalSite) -> None:
    _serve_news(site)
    links = "".join(f'<a href="/bad/{n}">{n}</a>' for n in ("nul", "big", "garbage"))
    site.routes["/"] = Route(
        f'<html><body><a href="/articles/panne.html">P</a>{links}</body></html>'
    )
    site.routes["/bad/nul"] = Route(b"<html><body>\x00\x00<p>nul</p></body></html>")
    site.routes["/bad/big"] = Route(b"<html>" + b"a" * 2_000_000)
    site.routes["/bad/garbage"] = Route(bytes(range(128, 256)) * 50)
    config = make_config(
        tmp_path, [{"name": "news", "start_urls": [site.url("/")]}], max_bytes=1_000_000
    )
    run_source(config, "web")
    reasons = _rows(config, "select reason, source from raw.web_quarantine order by 1")
    assert [r[0].split(":")[0] for r in reasons] == [
        "body exceeds max_bytes",
        "undecodable body",
        "undecodable body",
    ]
    assert {r[1] for r in reasons} == {"web"}
    assert _rows(config, "select count(*) from raw.web_pages")[0][0] == 1
    received = 4  # pages answered with a body: panne + three bad ones
    loaded = _rows(config, "select count(*) from raw.web_pages")[0][0]
    assert loaded + len(reasons) == received


CRASHING_RUN = """
import json, os, sys
from core.config import parse_config
from core.loading import make_pipeline
from ingestion.pipelines import run_source, source_factory
config = parse_config(json.loads(sys.argv[1]))
if sys.argv[2] == "after-normalize":
    pipeline = make_pipeline(config, "web")
    pipeline.extract(source_factory("web")(config), loader_file_format="parquet")
    pipeline.normalize()
    os._exit(137)  # dies with a normalised package pending, nothing loaded
run_source(config, "web")  # killed from outside while a page hangs
"""


def _hang(handler) -> None:
    time.sleep(30)


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.parametrize("moment", ["during-extract", "after-normalize"])
def test_killed_run_then_rerun_matches_a_clean_run(
    tmp_path: Path, site: LocalSite, moment: str
) -> None:
    """A run that dies mid-way, then a normal run: exactly the rows of one clean run."""
    _serve_news(site)
    clean = _config(tmp_path / "clean", site)
    run_source(clean, "web")

    data = config_data(tmp_path / "crashed", _config(tmp_path, site).model_dump()["sources"]["web"])
    data["sources"]["web"][0].pop("enabled", None)
    if moment == "during-extract":
        healthy = site.routes["/articles/tarifs.html"]
        site.routes["/articles/tarifs.html"] = _hang
    site.requests.clear()
    child = subprocess.Popen([sys.executable, "-c", CRASHING_RUN, json.dumps(data), moment])
    if moment == "during-extract":
        deadline = time.monotonic() + 60
        while "/articles/tarifs.html" not in site.paths() and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        site.routes["/articles/tarifs.html"] = healthy
    assert child.wait(timeout=120) != 0

    crashed = parse_config(data, base_dir=tmp_path / "crashed")
    run_source(crashed, "web")
    pq = "select url, title, content_hash, published_at from raw.web_pages order by 1"
    assert _rows(crashed, pq) == _rows(clean, pq)
    cq = "select comment_id, parent_id, position, text from raw.web_comments order by 1"
    assert _rows(crashed, cq) == _rows(clean, cq)
