"""The crawler against the bundled demo world: exactly the posts its ground truth lists."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.pipelines import run_source

from .site import make_config


@pytest.mark.slow
@pytest.mark.slow
def test_crawl_of_the_demo_site_matches_its_truth(tmp_path: Path) -> None:
    from demo.server import serve_world
    from demo.world import generate_world

    world = generate_world(seed=11, mentions=300)
    truth = [p for p in world.truth.posts.values() if p.source == "web"]
    with serve_world(world) as server:
        base = server.base_url
        config = make_config(
            tmp_path,
            [
                {
                    "name": "demo",
                    "start_urls": [f"{base}/"],
                    "sitemaps": [f"{base}/sitemap.xml"],
                    "feeds": [f"{base}/feed.xml"],
                }
            ],
        )
        run_source(config, "web")
        con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
        pages = {r[0] for r in con.execute("select url from raw.web_pages").fetchall()}
        comments = {
            r[0]: (r[1], r[2])
            for r in con.execute("select comment_id, author, text from raw.web_comments").fetchall()
        }
        loads = con.execute("select count(distinct _dlt_load_id) from raw.web_pages").fetchone()
        con.close()
        run_source(config, "web")  # unchanged world: nothing new
        con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
        assert (
            con.execute("select count(distinct _dlt_load_id) from raw.web_pages").fetchone()
            == loads
        )
        con.close()

    articles = {f"{base}{p.key}" for p in truth if p.kind == "article"}
    assert pages == articles
    expected = {f"{base}{p.page}#{p.key}": p.author for p in truth if p.kind != "article"}
    assert {k: v[0] for k, v in comments.items()} == expected
    assert all(text for _, text in comments.values())
