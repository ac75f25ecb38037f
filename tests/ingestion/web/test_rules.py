"""Pure rules: URL canonicalisation, crawler traps, robots.txt as RFC 9309 reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.web.robots import RobotsPolicy, parse_robots
from ingestion.web.urls import canonical_url, site_key, trap_reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a/./b/../c?b=2&a=1#frag", "http://example.com/a/c?a=1&b=2"),
        ("https://example.com:443/x?utm_source=nl&fbclid=1&id=3", "https://example.com/x?id=3"),
        ("http://example.com/a;jsessionid=ABC?PHPSESSID=1&q=x", "http://example.com/a?q=x"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com/caf%C3%A9/", "http://example.com/caf%C3%A9/"),
        ("mailto:someone@example.com", None),
        ("javascript:alert(1)", None),
        ("ftp://example.com/file", None),
        # vBulletin's friendly URLs: a key without "=", a "/" the board reads as written
        (
            "http://e.com/showthread.php?42-title/page2",
            "http://e.com/showthread.php?42-title/page2",
        ),
        ("http://e.com/x?b&a=&c=a%2Fb+c", "http://e.com/x?a=&b&c=a/b+c"),
    ],
)
def test_canonical_url(raw: str, expected: str | None) -> None:
    assert canonical_url(raw) == expected


def test_relative_links_and_same_site() -> None:
    base = "http://www.example.com/news/today.html"
    assert canonical_url("../about", base) == "http://www.example.com/about"
    assert site_key("http://www.example.com/x") == site_key("http://example.com/y")
    assert site_key("http://example.com:8080/") != site_key("http://example.com/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://e.com/agenda/2031/12", "calendar"),
        ("http://e.com/events?month=2031-12", "calendar"),
        ("http://e.com/?page=9999", "endless pagination"),
        ("http://e.com/blog/page/400/", "endless pagination"),
        ("http://e.com/a/b/a/b/a/b/a", "repeated path segments"),
        ("http://e.com/" + "x" * 600, "url too long"),
        ("http://e.com/logo.png", "not a page"),
        ("http://e.com/?page=3", None),
        ("http://e.com/viewtopic.php?t=4&start=600", None),  # an offset: page 41 of 15 posts
        ("http://e.com/viewtopic.php?t=4&start=90000", "endless pagination"),
        ("http://e.com/articles/2026/10/01/panne.html", None),
    ],
)
def test_traps(url: str, reason: str | None) -> None:
    assert trap_reason(url) == reason


ROBOTS = """
# comments are ignored
User-agent: OtherBot
Disallow: /

User-agent: ecoutebot
User-agent: friend
Disallow: /private/
Allow: /private/open
Disallow: /*.pdf$
Disallow: /tmp
Allow: /tmp/
Crawl-delay: 3

User-agent: *
Disallow: /
Sitemap: http://e.com/sitemap.xml
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/private/x", False),
        ("/private/open/page", True),  # longest match wins
        ("/doc.pdf", False),
        ("/doc.pdf?x=1", True),  # `$` anchors the end
        ("/tmp", False),
        ("/tmp/", True),  # equal evidence: the longer (allow) rule wins
        ("/robots.txt", True),
    ],
)
def test_robots_group_for_our_token_and_longest_match(path: str, allowed: bool) -> None:
    policy = parse_robots(ROBOTS, "EcouteBot/0.1")
    assert policy.allowed(f"http://e.com{path}") is allowed
    assert policy.crawl_delay == 3.0
    assert policy.sitemaps == ("http://e.com/sitemap.xml",)


def test_robots_fallback_group_and_tie() -> None:
    assert not parse_robots(ROBOTS, "SomeoneElse").allowed("http://e.com/page")
    tie = parse_robots("User-agent: *\nDisallow: /page\nAllow: /page\n", "EcouteBot")
    assert tie.allowed("http://e.com/page")  # RFC 9309: allow wins a tie
    assert parse_robots("", "EcouteBot").allowed("http://e.com/anything")
    assert not RobotsPolicy.disallowing_all().allowed("http://e.com/")


@settings(max_examples=300, deadline=None)
@given(
    path=st.text(alphabet="abc/.;=?&%#é ~-_", max_size=40),
    host=st.sampled_from(["Example.com", "example.com:80", "www.example.com", "[::1]:8080"]),
    scheme=st.sampled_from(["http", "HTTPS"]),
)
@pytest.mark.slow
def test_canonical_url_is_idempotent(path: str, host: str, scheme: str) -> None:
    once = canonical_url(f"{scheme}://{host}/{path}")
    assert once is not None
    assert canonical_url(once) == once
    assert "#" not in once


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), path=st.text(alphabet="/ab*$?%", max_size=20))
def test_robots_parser_never_crashes(text: str, path: str) -> None:
    policy = parse_robots(text, "EcouteBot")
    assert policy.allowed("http://e.com/" + path) in (True, False)
