"""Page extraction (article, metadata, comment threads), feeds and sitemaps, `ecoute extract`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecoute.commands.extract import extract
from ingestion.web.extract import ExtractionError, extract_page
from ingestion.web.seeds import SeedParseError, parse_feed, parse_sitemap

from .site import LOREM, SHARED_DATA, LocalSite, Route, article, comment

WORDPRESS = f"""<html><head><title>Test de la box | Blog</title>
<meta name="author" content="Alice"><meta property="article:published_time"
content="2026-09-01T10:00:00+02:00"></head><body><div class="post"><h1>Test de la box</h1>
<div class="entry-content"><p>{LOREM[0]}</p><p>{LOREM[1]}</p></div></div>
<div id="comments" class="comments-area"><h2>2 réponses</h2><ol class="comment-list">
<li id="comment-7" class="comment even depth-1"><article id="div-comment-7" class="comment-body">
 <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bob</b>
 <span class="says">says:</span></div><time datetime="2026-09-01T12:00:00+00:00">1 sept</time>
 </footer><div class="comment-content"><p>Ma box plante tous les soirs.</p></div></article>
 <ol class="children"><li id="comment-8" class="comment odd depth-2">
 <article id="div-comment-8" class="comment-body"><div class="comment-author vcard">
 <b class="fn">Carole</b></div><div class="comment-content"><p>Idem, redémarrez-la.</p></div>
 </article></li></ol></li></ol></div></body></html>
"""

FLAT = f"""<html><body><article><p>{LOREM[0]}</p><p>{LOREM[1]}</p></article><div class="discussion">
<div class="comment" id="c1" data-comment-id="c1"><span class="author">Dan</span>
<div class="comment-text">Premier.</div></div>
<div class="comment" id="c2" data-parent-id="c1"><span class="author">Eve</span>
<div class="comment-text">Réponse à Dan.</div></div></div></body></html>
"""


def test_microdata_thread_and_article_fields() -> None:
    thread = comment(
        1,
        "Paul",
        "Encore une panne.",
        comment(2, "Marie", "Pareil.", comment(3, "Léo", "Moi aussi.")),
    ) + comment(4, "Zoé", "Rien ici.")
    page = extract_page(article("panne", "Panne chez Nuage", LOREM, thread), "http://e.com/a")
    assert page.is_article and page.title == "Panne chez Nuage" and page.lang == "fr"
    assert page.published is not None
    assert page.author == "Jeanne" and page.published.isoformat().startswith("2026-10-")
    assert "panne géante" in page.text and "Pareil" not in page.text
    assert [(c.id, c.parent_id, c.author) for c in page.comments] == [
        ("comment-1", None, "Paul"),
        ("comment-2", "comment-1", "Marie"),
        ("comment-3", "comment-2", "Léo"),
        ("comment-4", None, "Zoé"),
    ]
    assert page.comments[1].text == "Pareil." and page.comments[1].published is not None


def test_wordpress_comments_and_meta() -> None:
    page = extract_page(WORDPRESS, "http://blog.example/test")
    assert page.title == "Test de la box" and page.author == "Alice"
    assert page.published is not None
    assert page.published.isoformat() == "2026-09-01T08:00:00+00:00"
    assert "box plante" not in page.text and "panne géante" in page.text
    got = [(c.id, c.parent_id, c.author, c.text) for c in page.comments]
    assert got == [
        ("comment-7", None, "Bob", "Ma box plante tous les soirs."),
        ("comment-8", "comment-7", "Carole", "Idem, redémarrez-la."),
    ]


def test_flat_comments_with_parent_attribute() -> None:
    page = extract_page(FLAT, "http://forum.example/t/1")
    assert [(c.id, c.parent_id, c.author) for c in page.comments] == [
        ("c1", None, "Dan"),
        ("c2", "c1", "Eve"),
    ]


def test_hostile_or_broken_html_does_not_crash() -> None:
    nested = "<div>" * 20_000 + "x" + "</div>" * 20_000
    for html in (nested, "<html><body><p>unclosed <b>tags <i>everywhere", "<<<>>>&&&;;"):
        try:
            page = extract_page(html, "http://e.com/")
        except ExtractionError:
            continue
        assert not page.is_article
    with pytest.raises(ExtractionError):
        extract_page("<p>a\x00b</p>", "http://e.com/")
    scripted = extract_page(
        article("x", "Titre", LOREM, extra="<script>alert('pwn')</script><style>p{}</style>"),
        "http://e.com/x",
    )
    assert "alert" not in scripted.text


def test_nofollow_noindex_are_honoured() -> None:
    html = article("x", "T", LOREM).replace(
        "<head>", '<head><meta name="robots" content="noindex, nofollow">'
    )
    page = extract_page(html, "http://e.com/x")
    assert not page.index and page.links == []


def test_sitemaps_and_feeds_parse_without_entity_expansion() -> None:
    index = parse_sitemap(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://e.com/s1.xml</loc></sitemap></sitemapindex>"
    )
    assert index.sitemaps == ["http://e.com/s1.xml"] and index.pages == []
    atom = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
        b'href="http://e.com/1"/><updated>2026-01-01T00:00:00Z</updated></entry></feed>'
    )
    assert [(s.url, s.lastmod) for s in atom] == [("http://e.com/1", "2026-01-01T00:00:00Z")]
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><link>&b;</link>'
        b"</item></channel></rss>"
    )
    with pytest.raises(SeedParseError):
        parse_feed(laughs)
    with pytest.raises(SeedParseError):
        parse_feed(b"<html>not a feed</html>")


FEEDS = SHARED_DATA / "rss_parser_feeds"


@pytest.mark.skipif(not FEEDS.exists(), reason="shared rss_parser_feeds data absent")
def test_real_feeds_give_the_links_rss_parser_expects() -> None:
    matched = 0
    for expected_file in sorted((FEEDS / "expected_output").glob("*.json")):
        source = next((FEEDS / "input").glob(expected_file.stem + ".*"), None)
        expected = json.loads(expected_file.read_bytes().decode("utf-8", errors="replace"))
        want = [(i.get("link") or "").strip() for i in expected["feed"].get("items", [])]
        if source is None or not all(want):
            continue
        try:
            got = [s.url for s in parse_feed(source.read_bytes())]
        except SeedParseError:
            continue  # a malformed real feed (uolNoticias) is refused, not guessed
        assert got == want, source.name
        matched += 1
    assert matched >= 20


def test_extract_command_on_a_file_and_a_url(tmp_path: Path, site: LocalSite) -> None:
    html = article("panne", "Panne chez Nuage", LOREM, comment(1, "Paul", "Bof."))
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252", errors="ignore").replace(b"utf-8", b"cp1252"))
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "url",
        "title",
        "author",
        "published",
        "text",
        "forum",
        "thread_url",
        "next_page",
        "comments",
    }
    assert data["forum"] is None
    assert data["title"] == "Panne chez Nuage" and "panne géante" in data["text"]
    assert data["comments"] == [
        {
            "id": "comment-1",
            "parent_id": None,
            "author": "Paul",
            "published": "2026-10-02T11:00:00+00:00",
            "text": "Bof.",
        }
    ]
    site.routes["/a.html"] = Route(html)
    config = tmp_path / "ecoute.yml"
    config.write_text(
        "project: {name: t}\nbrands: [{name: Nuage}]\ncrawler: {allow_hosts: ['127.0.0.1']}\n"
    )
    by_url = CliRunner().invoke(extract, [site.url("/a.html"), "--config", str(config)])
    assert by_url.exit_code == 0, by_url.output
    assert json.loads(by_url.output)["comments"] == data["comments"]
    refused = CliRunner().invoke(extract, [site.url("/a.html")])  # default: loopback refused
    assert refused.exit_code != 0 and "forbidden address" in refused.output


def test_comment_dates_written_for_people() -> None:
    """Older themes print the date as words in the permalink or a `date` element."""
    html = WORDPRESS.replace(
        '<time datetime="2026-09-01T12:00:00+00:00">1 sept</time>',
        '<div class="comment-meta commentmetadata"><a href="#comment-7">'
        "1 septembre 2026 à 12 h 41 min</a></div>",
    ).replace(
        '<b class="fn">Carole</b></div>',
        '<b class="fn">Carole</b></div><span class="date">il y a 2 jours</span>',
    )
    html = html.replace("<html>", '<html lang="fr">')
    page = extract_page(html, "https://blog.test/box")
    first, reply = page.comments
    assert (
        first.published is not None and first.published.isoformat() == "2026-09-01T12:41:00+00:00"
    )
    assert reply.published is None  # relative: "2 days ago" of an unknown day
