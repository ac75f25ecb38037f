"""The loopback server over real HTTP (urllib): site routes, conditional GET, progressive reveal,
and the Hacker News Algolia API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from demo.model import World
from demo.server import DemoServer, serve_world

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(server: DemoServer, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(server.base_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def hn(server: DemoServer, endpoint: str, **params: str | int) -> dict:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    status, _, body = get(server, f"/hn/api/v1/{endpoint}?{query}")
    assert status == 200, body
    return json.loads(body)


def test_robots_disallows_admin_and_search_and_names_the_sitemap(server: DemoServer) -> None:
    status, _, body = get(server, "/robots.txt")
    text = body.decode()
    assert status == 200
    assert "User-agent: *" in text and "Disallow: /admin/" in text and "Disallow: /search" in text
    assert f"Sitemap: {server.base_url}/sitemap.xml" in text


def test_home_paginates_finitely_and_links_tags_and_admin(server: DemoServer, world: World) -> None:
    status, _, body = get(server, "/")
    html = body.decode()
    assert status == 200 and 'href="/admin/"' in html and 'href="/tag/fibre"' in html
    links = set()
    page = 1
    while True:
        status, _, body = get(server, f"/?page={page}")
        assert status == 200
        html = body.decode()
        links |= set(
            re.findall(r'<ul class="articles">.*?</ul>', html, re.S)[0].split('href="')[1:]
        )
        if 'rel="next"' not in html:
            break
        page += 1
    assert page == -(-len(world.articles) // 20)
    assert get(server, f"/?page={page + 1}")[0] == 404
    assert get(server, "/?page=abc")[0] == 404
    assert len(links) == len(world.articles)


def test_tag_pages_list_their_articles(server: DemoServer, world: World) -> None:
    status, _, body = get(server, "/tag/5g")
    assert status == 200
    first = max((a for a in world.articles if "5g" in a.tags), key=lambda a: a.published_at)
    assert first.path in body.decode()
    assert get(server, "/tag/unknown")[0] == 404


class _CommentTree(HTMLParser):
    """Collects (comment id, parent comment id, author, datetime) from the comment markup."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: dict[str, dict[str, str | None]] = {}
        self.prop: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article" and a.get("class") == "comment":
            parent = next((cid for t, cid in reversed(self.stack) if t == "article" and cid), None)
            self.found[a["id"] or ""] = {"parent": parent, "author": None, "time": None}
            self.stack.append((tag, a["id"]))
        elif tag not in ("meta", "link", "input", "br"):
            self.stack.append((tag, None))
        if tag == "time" and a.get("itemprop") == "dateCreated":
            self._current()["time"] = a["datetime"]
        self.prop = a.get("itemprop")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.prop == "author" and data.strip():
            self._current()["author"] = data.strip()
        self.prop = None

    def _current(self) -> dict[str, str | None]:
        cid = next(cid for t, cid in reversed(self.stack) if t == "article" and cid)
        return self.found[cid]


def test_article_page_carries_metadata_and_nested_comments(
    server: DemoServer, world: World
) -> None:
    article = max(world.articles, key=lambda a: sum(1 for c in a.all_comments() if c.replies))
    status, headers, body = get(server, article.path)
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<html lang="{article.lang}">' in html
    assert f'<meta name="author" content="{article.author}">' in html
    assert '<meta property="article:published_time"' in html and '"@type": "NewsArticle"' in html
    assert "<nav" in html and "<footer" in html and '<section id="comments">' in html
    parser = _CommentTree()
    parser.feed(html)
    expected: dict[str, str | None] = {}
    for top in article.comments:
        for comment in top.walk():
            for reply in comment.replies:
                expected[reply.local_id] = comment.local_id
            expected.setdefault(comment.local_id, None)
    assert {cid: info["parent"] for cid, info in parser.found.items()} == expected
    some = article.all_comments()[-1]
    assert parser.found[some.local_id]["author"] == some.author
    assert parser.found[some.local_id]["time"] == some.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_syndicated_copy_has_the_same_body_and_no_canonical(
    server: DemoServer, world: World
) -> None:
    copy = world.copies[0]
    original = next(a for a in world.articles if a.slug == copy.original_slug)
    copy_html = get(server, copy.path)[2].decode()
    original_html = get(server, original.path)[2].decode()
    body = re.compile(r'<article class="post">.*?<p class="tags">', re.S)
    paragraphs = re.compile(r"<p>(.*?)</p>")
    copy_body, original_body = body.search(copy_html), body.search(original_html)
    assert copy_body is not None and original_body is not None
    assert paragraphs.findall(copy_body.group(0)) == paragraphs.findall(original_body.group(0))
    assert 'rel="canonical"' not in copy_html
    assert copy.path.startswith("/partenaires/")


def test_feed_is_rss_with_the_latest_fifty_articles(server: DemoServer, world: World) -> None:
    status, headers, body = get(server, "/feed.xml")
    assert status == 200 and "xml" in headers["Content-Type"]
    items = ET.fromstring(body).findall("./channel/item")
    assert len(items) == 50
    dates = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in items]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == max(a.published_at for a in world.articles)


def test_unknown_paths_are_404_html(server: DemoServer) -> None:
    for path in ("/nope", "/articles/nope.html", "/hn/api/v1/items/1"):
        status, _, _ = get(server, path)
        assert status == 404
    assert "text/html" in get(server, "/missing")[1]["Content-Type"]


def test_etag_and_last_modified_give_304(server: DemoServer, world: World) -> None:
    for path in (world.articles[0].path, "/sitemap.xml", "/feed.xml", "/"):
        status, headers, _ = get(server, path)
        assert status == 200 and headers["ETag"].startswith('"')
        status, _, again = get(server, path, **{"If-None-Match": headers["ETag"]})
        assert status == 304 and again == b""
        status, _, _ = get(server, path, **{"If-Modified-Since": headers["Last-Modified"]})
        assert status == 304
        status, _, _ = get(server, path, **{"If-None-Match": '"other"'})
        assert status == 200
    last = parsedate_to_datetime(get(server, world.articles[0].path)[1]["Last-Modified"])
    assert last == world.articles[0].last_modified
    earlier = (last - timedelta(seconds=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert get(server, world.articles[0].path, **{"If-Modified-Since": earlier})[0] == 200


def test_the_request_log_records_what_was_served(server: DemoServer) -> None:
    get(server, "/robots.txt?probe=1")
    assert ("GET", "/robots.txt?probe=1") in server.requests


def _sitemap(server: DemoServer) -> dict[str, str]:
    root = ET.fromstring(get(server, "/sitemap.xml")[2])
    return {
        u.findtext("s:loc", namespaces=SITEMAP_NS) or "": u.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        or ""
        for u in root.findall("s:url", SITEMAP_NS)
    }


@pytest.mark.slow
def test_as_of_reveals_the_world_progressively(world: World) -> None:
    start = datetime.combine(world.start, datetime.min.time(), UTC)
    article = next(
        a
        for a in world.articles
        if len(a.all_comments()) >= 2 and a.published_at > start + timedelta(days=5)
    )
    late = sorted(c.published_at for c in article.all_comments())[-1]
    before_last = late - timedelta(seconds=1)
    with serve_world(world, as_of=start + timedelta(days=3)) as server:
        early_pages = _sitemap(server)
        early_hits = hn(server, "search_by_date", hitsPerPage=1000)["nbHits"]
        assert article.path not in "".join(early_pages)
        server.set_as_of(before_last)
        url = server.base_url + article.path
        lastmod_before = _sitemap(server)[url]
        etag_before = get(server, article.path)[1]["ETag"]
        server.set_as_of(late)
        lastmod_after = _sitemap(server)[url]
        status, _, _ = get(server, article.path, **{"If-None-Match": etag_before})
        assert status == 200, "a new comment changes the page"
        server.set_as_of(None)
        all_pages = _sitemap(server)
        all_hits = hn(server, "search_by_date", hitsPerPage=1000)["nbHits"]
    assert len(early_pages) < len(all_pages) == len(world.articles) + len(world.copies)
    assert 0 < early_hits < all_hits == len(world.hn_items)
    assert lastmod_before < lastmod_after == late.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_hn_search_matches_words_and_tags(server: DemoServer, world: World) -> None:
    answer = hn(server, "search_by_date", query="Zest", tags="comment", hitsPerPage=1000)
    assert answer["nbHits"] == len(answer["hits"]) > 0
    for hit in answer["hits"]:
        assert hit["_tags"][0] == "comment" and hit["title"] is None
        assert re.search(r"(?<![a-z])zest(?![a-z])", hit["comment_text"].lower())
    stamps = [h["created_at_i"] for h in answer["hits"]]
    assert stamps == sorted(stamps, reverse=True)
    stories = hn(server, "search", query="nuage", tags="story", hitsPerPage=1000)["hits"]
    assert stories and all(h["_tags"][0] == "story" and h["num_comments"] >= 0 for h in stories)
    both = hn(server, "search_by_date", query="nuage", tags="(story,comment)", hitsPerPage=1)
    only = [
        hn(server, "search_by_date", query="nuage", tags=t)["nbHits"] for t in ("story", "comment")
    ]
    assert both["nbHits"] == sum(only)
    author = world.hn_items[0].author
    mine = hn(server, "search_by_date", tags=f"comment,author_{author}", hitsPerPage=1000)
    assert all(h["author"] == author for h in mine["hits"])


def test_hn_search_reaches_homonym_noise(server: DemoServer, world: World) -> None:
    noise = {k for k, p in world.truth.posts.items() if p.homonym and p.source == "hackernews"}
    found = set()
    for query in ("nuage", "zest"):
        hits = hn(server, "search_by_date", query=query, hitsPerPage=1000)["hits"]
        found |= {h["objectID"] for h in hits} & noise
    texts = world.texts()
    assert any("zest" in texts[k].lower().split() for k in found)
    assert any("nuage" in texts[k].lower().split() for k in found)


def test_hn_numeric_filters_and_paging(server: DemoServer) -> None:
    everything = hn(server, "search_by_date", hitsPerPage=1000)["hits"]
    middle = everything[len(everything) // 2]["created_at_i"]
    newer = hn(server, "search_by_date", numericFilters=f"created_at_i>{middle}", hitsPerPage=1000)
    assert all(h["created_at_i"] > middle for h in newer["hits"])
    window = hn(
        server,
        "search_by_date",
        numericFilters=f"created_at_i>={middle},created_at_i<={middle}",
        hitsPerPage=1000,
    )
    assert window["nbHits"] >= 1 and {h["created_at_i"] for h in window["hits"]} == {middle}
    pages = []
    page = 0
    while True:
        answer = hn(server, "search_by_date", query="network", hitsPerPage=50, page=page)
        pages += answer["hits"]
        page += 1
        if page >= answer["nbPages"]:
            break
    assert len(pages) == answer["nbHits"] == len({h["objectID"] for h in pages})
    assert hn(server, "search_by_date", query="network", hitsPerPage=50, page=page)["hits"] == []
    status, _, body = get(server, "/hn/api/v1/search?numericFilters=created_at_i~3")
    assert status == 400 and "numeric" in json.loads(body)["message"]


def test_hn_text_is_html_like_hacker_news(server: DemoServer) -> None:
    hits = hn(server, "search_by_date", tags="comment", hitsPerPage=1000)["hits"]
    texts = [h["comment_text"] for h in hits]
    assert any("&#x27;" in t for t in texts)
    assert any('<a href="https://bons-plans-telecom.example/' in t for t in texts)
    hit = hits[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", hit["created_at"])
    assert isinstance(hit["story_id"], int) and isinstance(hit["parent_id"], int)


def test_hn_item_endpoint_nests_children(server: DemoServer, world: World) -> None:
    story = max(
        (i for i in world.hn_items if i.item_type == "story"), key=lambda i: i.num_comments or 0
    )
    status, _, body = get(server, f"/hn/api/v1/items/{story.object_id}")
    tree = json.loads(body)
    assert status == 200 and tree["type"] == "story" and tree["id"] == int(story.object_id)

    def count(node: dict) -> int:
        return sum(1 + count(child) for child in node["children"])

    assert count(tree) == story.num_comments


def test_standalone_server_starts_and_stops() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "demo.server", "--port", "0", "--mentions", "100"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        with urllib.request.urlopen(f"{match.group(0)}robots.txt", timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()  # the test fails, leaving no server behind
            process.wait()
            raise


@pytest.mark.slow
@pytest.mark.parametrize("as_of", [None, datetime(2026, 8, 1, tzinfo=UTC)])
def test_server_binds_loopback_on_a_free_port(world: World, as_of: datetime | None) -> None:
    with serve_world(world, as_of=as_of) as one, serve_world(world) as two:
        assert one.port != two.port and one.base_url.startswith("http://127.0.0.1:")
        started = time.perf_counter()
        assert get(one, "/")[0] == 200
        assert time.perf_counter() - started < 2
