"""The crawl loop without dlt: robots outcomes, politeness, caps, feed and sitemap seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.web.crawl import HostPacer, SiteCrawler, crawl

from .site import LOREM, LocalSite, Route, article, make_config


def _pages(site: LocalSite, count: int) -> None:
    for n in range(count):
        site.routes[f"/articles/{n}.html"] = Route(
            article(str(n), f"Article {n}", [f"{p} ({n})" for p in LOREM])
        )


def _run(tmp_path: Path, web: dict, state: dict | None = None, **crawler) -> list:
    config = make_config(tmp_path, [{"name": "s", **web}], **crawler)
    return list(crawl(config.sources.web, config.crawler, {} if state is None else state))


@pytest.mark.parametrize(
    ("status", "crawled"), [(500, False), (503, False), (404, True), (403, True)]
)
def test_robots_fetch_outcomes(tmp_path: Path, site: LocalSite, status: int, crawled: bool) -> None:
    _pages(site, 1)
    site.routes["/robots.txt"] = Route("oops", status=status)
    emitted = _run(tmp_path, {"start_urls": [site.url("/articles/0.html")]})
    assert bool([e for e in emitted if e.kind == "page"]) is crawled
    if not crawled:  # RFC 9309: a server error means "disallow everything"
        assert site.paths() == ["/robots.txt"]


def test_crawl_delay_from_robots_is_honoured(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 3)
    site.routes["/robots.txt"] = Route("User-agent: *\nCrawl-delay: 7\n")
    waits: list[float] = []
    clock = [0.0]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    config = make_config(
        tmp_path,
        [{"name": "s", "start_urls": [site.url(f"/articles/{n}.html") for n in range(3)]}],
        max_crawl_delay_s=5,
    )
    crawler = SiteCrawler(
        config.sources.web[0],
        config.crawler,
        {},
        pacer=HostPacer(sleep=sleep, clock=lambda: clock[0]),
    )
    list(crawler.run())
    requests = len(site.requests)  # robots.txt, then every page 5 s later (7 s capped at 5)
    assert waits == [5.0] * (requests - 1) and requests >= 4


def test_depth_and_page_caps(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 6)
    for n in range(5):  # a chain 0 → 1 → 2 → ...
        page = site.route(f"/articles/{n}.html")
        assert isinstance(page.body, str)
        page.body = page.body.replace(
            "</article>", f'<a href="/articles/{n + 1}.html">suite</a></article>'
        )
    deep = _run(tmp_path, {"start_urls": [site.url("/articles/0.html")], "max_depth": 2})
    assert [e.row["title"] for e in deep if e.kind == "page"] == [
        "Article 0",
        "Article 1",
        "Article 2",
    ]
    site.requests.clear()
    _run(tmp_path, {"start_urls": [site.url("/articles/0.html")], "max_pages": 2})
    assert len([p for p in site.paths() if p != "/robots.txt"]) == 2


@pytest.mark.slow
def test_feed_and_nested_sitemap_seeds(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 3)
    site.routes["/feed.xml"] = Route(
        "<rss version='2.0'><channel><item><link>"
        + site.url("/articles/0.html?utm_source=rss")
        + "</link></item></channel></rss>",
        headers={"Content-Type": "application/rss+xml"},
    )
    site.routes["/sitemap_index.xml"] = Route(
        "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>"
        + site.url("/s1.xml")
        + "</loc></sitemap></sitemapindex>"
    )
    site.routes["/s1.xml"] = Route(
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + "".join(f"<url><loc>{site.url(f'/articles/{n}.html')}</loc></url>" for n in (1, 2))
        + "<url><loc>http://elsewhere.example/x</loc></url></urlset>"
    )
    site.routes["/broken-feed.xml"] = Route("<rss><channel><item>", status=200)
    emitted = _run(
        tmp_path,
        {
            "feeds": [site.url("/feed.xml"), site.url("/broken-feed.xml")],
            "sitemaps": [site.url("/sitemap_index.xml")],
        },
    )
    pages = sorted(e.row["url"] for e in emitted if e.kind == "page")
    assert pages == [site.url(f"/articles/{n}.html") for n in range(3)]
    assert [e.row["reason"].split(":")[0] for e in emitted if e.kind == "quarantine"] == [
        "bad feed"
    ]


@pytest.mark.slow
def test_state_makes_the_second_crawl_emit_nothing(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 2)
    for path in site.routes:
        site.route(path).etag = True
    state: dict = {}
    web = {"start_urls": [site.url("/articles/0.html"), site.url("/articles/1.html")]}
    # start URLs are hubs (always refetched in full); their pages still emit nothing new
    assert len([e for e in _run(tmp_path, web, state) if e.kind == "page"]) == 2
    assert _run(tmp_path, web, state) == []
    site.route("/articles/1.html").body = article("1", "Article 1 (mis à jour)", LOREM)
    again = _run(tmp_path, web, state)
    assert [e.row["title"] for e in again if e.kind == "page"] == ["Article 1 (mis à jour)"]


def test_cross_site_canonical_keeps_the_copy_under_its_own_url(
    tmp_path: Path, site: LocalSite
) -> None:
    """A syndicated copy is stored as itself; dbt (int_mentions_deduplicated) links copies."""
    copy = article("c", "Reprise", LOREM).replace(
        "<head>", '<head><link rel="canonical" href="https://origin.example/story">'
    )
    site.routes["/copy.html"] = Route(copy)
    emitted = _run(tmp_path, {"start_urls": [site.url("/copy.html")]})
    [page] = [e.row for e in emitted if e.kind == "page"]
    assert page["url"] == site.url("/copy.html")
    assert "duplicate_of" not in page


def test_sitemaps_announced_in_robots_are_used(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 2)
    site.routes["/robots.txt"] = Route(f"User-agent: *\nSitemap: {site.url('/map.xml')}\n")
    site.routes["/map.xml"] = Route(
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>"
        + site.url("/articles/1.html")
        + "</loc></url></urlset>"
    )
    site.routes["/"] = Route("<html><body>no links here</body></html>")
    emitted = _run(tmp_path, {"start_urls": [site.url("/")]})
    assert [e.row["title"] for e in emitted if e.kind == "page"] == ["Article 1"]


@pytest.mark.slow
def test_redirect_into_a_disallowed_path_is_not_followed(tmp_path: Path, site: LocalSite) -> None:
    """robots.txt is consulted for every redirect hop, not only for the URL first asked."""
    _pages(site, 2)
    site.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /private/\n")
    site.routes["/private/secret.html"] = Route(article("s", "Secret", LOREM))
    site.routes["/go"] = Route(status=302, headers={"Location": "/private/secret.html"})
    site.routes["/moved"] = Route(status=301, headers={"Location": "/articles/1.html"})
    config = make_config(
        tmp_path, [{"name": "s", "start_urls": [site.url("/go"), site.url("/moved")]}]
    )
    crawler = SiteCrawler(config.sources.web[0], config.crawler, {})
    emitted = list(crawler.run())
    assert [e.row["title"] for e in emitted if e.kind == "page"] == ["Article 1"]
    assert "/private/secret.html" not in site.paths()
    assert crawler.stats["skipped"] == 1


@pytest.mark.slow
def test_first_page_after_robots_waits_the_crawl_delay(tmp_path: Path, site: LocalSite) -> None:
    _pages(site, 1)
    site.routes["/robots.txt"] = Route("User-agent: *\nCrawl-delay: 3\n")
    waits: list[float] = []
    web = {"name": "s", "start_urls": [site.url("/articles/0.html")], "max_depth": 0}
    config = make_config(tmp_path, [web])
    pacer = HostPacer(sleep=waits.append, clock=lambda: 100.0)
    list(SiteCrawler(config.sources.web[0], config.crawler, {}, pacer=pacer).run())
    assert site.paths() == ["/robots.txt", "/articles/0.html"]
    assert waits == [3.0]
