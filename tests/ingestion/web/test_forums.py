"""Forum threads on saved pages of each engine: opening post, replies, authors, dates, parents."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from lxml import html as lxml_html

from ingestion.pipelines import run_source
from ingestion.web.crawl import crawl
from ingestion.web.dates import parse_relative_date
from ingestion.web.extract import extract_page
from ingestion.web.forums import clean_author, extract_thread

from .site import LocalSite, Route, make_config

FIXTURES = Path(__file__).parent / "fixtures" / "forums"

# file, URL it was saved from, engine, title, opening post (author, UTC date, text start),
# replies as (local id, parent local id or None, author, UTC date, text start).
CASES = [
    (
        "phpbb_fr_page1.html",
        "https://velo-electrique.test/viewtopic.php?f=3&t=4242",
        "phpbb",
        "Batterie du Zéphyr X2 qui se vide en une nuit",
        ("Jeanmi", "2024-03-14T08:12:45+00:00", "Bonjour à tous,\nDepuis la mise à jour"),
        [
            ("post-81007", None, "Claire_B", "2024-03-14T09:30:02+00:00", "Même chose"),
            ("post-81012", "post-81007", "Paulo44", "2024-03-14T11:05:40+00:00", "Exact, en"),
            ("post-81020", None, "velotaf_rennes", "2024-03-15T17:48:00+00:00", "Aucun"),
            ("post-81031", None, "Jeanmi", "2024-03-16T07:02:11+00:00", "Merci à tous"),
        ],
    ),
    (
        "discourse_en.html",
        "https://community.nimbus.test/t/nimbus-buds-pro-firmware-3-1-broke-multipoint/5821",
        "discourse",
        "Nimbus Buds Pro firmware 3.1 broke multipoint",
        ("dana_k", "2024-05-02T14:03:11+00:00", "After updating my Nimbus Buds Pro"),
        [
            ("post-2", None, "marcus.w", "2024-05-02T15:20:45+00:00", "Same here."),
            ("post-3", "post-2", "nimbus_support", "2024-05-03T08:02:00+00:00", "Thanks for"),
            ("post-4", None, "dana_k", "2024-05-10T18:44:09+00:00", "3.1.1 installed"),
        ],
    ),
    (
        "discourse_2019_fr.html",
        "https://entraide.nuage.test/t/box-nuage-fibre-deconnexions-chaque-soir-vers-21-h/1207",
        "discourse",
        "Box Nuage Fibre : déconnexions chaque soir vers 21 h",
        ("lea_t", "2019-11-04T19:42:10+00:00", "Bonsoir, depuis lundi ma box Nuage Fibre"),
        [
            ("post-2", None, "gwen35", "2019-11-04T20:15:00+00:00", "Pareil à Rennes"),
            ("post-3", "post-2", "nuage_assistance", "2019-11-05T08:30:00+00:00", "Merci pour"),
        ],
    ),
    (
        "vbulletin4_fr.html",
        "https://www.forum-auto-passion.test/showthread.php?"
        "18236-Volta-E-208-la-recharge-rapide-ne-demarre-plus",
        "vbulletin4",
        "Volta E-208 : la recharge rapide ne démarre plus",
        ("Fredo56", "2024-03-14T08:12:00+00:00", "Bonjour,\nDepuis la mise à jour 4.2"),
        [
            ("post-402230", None, "Nath_EV", "2024-03-14T10:45:00+00:00", "Problème connu"),
            ("post-402288", "post-402230", "Fredo56", "2024-03-15T18:20:00+00:00", "Merci !"),
        ],
    ),
    (
        "vbulletin5_en.html",
        "https://forum.kestrel.test/forum/dashcams/kestrel-9/"
        "8812-kestrel-9-dashcam-keeps-rebooting-in-the-heat",
        "vbulletin",
        "Kestrel 9 dashcam keeps rebooting in the heat",
        ("roadwatcher", "2024-05-22T09:52:00+00:00", "Since the hot weather started"),
        [
            ("post-8815", None, "dash_dan", "2024-05-22T11:45:00+00:00", "The Kestrel 9 has"),
            ("post-8821", "post-8815", "roadwatcher", "2024-05-22T15:00:00+00:00", "Ordered"),
            ("post-8830", None, "Ella V", "2024-05-23T09:20:00+00:00", "Kestrel support"),
        ],
    ),
    (
        "xenforo2_fr.html",
        "https://www.cuisine-maison.test/threads/cafetiere-brulo-3000-fuite-au-niveau-du-reservoir.9931/",
        "xenforo",
        "Cafetière Brûlo 3000 : fuite au niveau du réservoir",
        ("Sandrine63", "2024-04-08T07:41:10+00:00", "Bonjour,\nMa Brûlo 3000 fuit"),
        [
            ("post-120478", None, "Bricol'Hugo", "2024-04-08T10:15:00+00:00", "Le joint est"),
            ("post-120502", "post-120478", "Sandrine63", "2024-04-09T18:03:02+00:00", "Merci !"),
            ("post-120530", None, "Nono", "2024-04-10T06:30:00+00:00", "Pareil l'an dernier"),
        ],
    ),
    (
        "invision4_fr.html",
        "https://communaute.maison-futee.test/topic/"
        "30412-aspirateur-tornado-v8-autonomie-divisee-par-deux-apres-un-an/",
        "invision",
        "Aspirateur Tornado V8 : autonomie divisée par deux après un an",
        ("Fred_L", "2024-02-26T20:14:00+00:00", "Bonsoir,\nMon Tornado V8"),
        [
            ("post-402130", None, "Marie_C", "2024-02-27T07:55:00+00:00", "La batterie est"),
            ("post-402144", "post-402130", "Fred_L", "2024-02-27T16:40:00+00:00", "Merci Marie"),
            ("post-402160", None, "Invité Lucas", "2024-02-28T10:05:00+00:00", "Chez moi le SAV"),
        ],
    ),
    (
        "schema_forum_en.html",
        "https://board.reading-gadgets.test/post/solaris-12-vs-solaris-10",
        "schema.org",
        "Is the Solaris 12 e-reader worth it over the Solaris 10?",
        ("bookworm_liz", "2024-06-11T19:04:00+00:00", "My Solaris 10 is five years old"),
        [
            ("comment-1", None, "pageturner", "2024-06-11T20:30:00+00:00", "Upgraded last"),
            ("comment-2", "comment-1", "bookworm_liz", "2024-06-12T05:15:00+00:00", "Faster"),
            ("comment-3", "comment-2", "pageturner", "2024-06-12T06:01:00+00:00", "No, the"),
            ("comment-4", None, "Kindred Reader", "2024-06-13T16:20:00+00:00", "Mine froze"),
        ],
    ),
    (
        "smf21_fr.html",
        "https://forum.cafe-expresso.test/index.php?topic=4821.0",
        "smf",
        "Barista Pro : la pompe vibre mais rien ne coule",
        ("Karine_L", "2024-03-14T08:12:45+00:00", "Bonjour à tous,\nMa Barista Pro de chez"),
        [
            ("post-51207", None, "Rémi_Bzh", "2024-03-14T09:30:02+00:00", "Vérifiez d'abord"),
            ("post-51212", "post-51207", "Karine_L", "2024-03-14T18:03:27+00:00", "Merci !"),
            # "Citation de: Karine_L" names no message: her latest earlier post
            ("post-51220", "post-51212", "Caféo Service", "2024-03-15T10:15:00+00:00", "Bonjour"),
        ],
    ),
    (
        "smf20_en.html",
        "https://www.gadgetboards.test/index.php?topic=912.0",
        "smf",
        "Volt S5 smartwatch battery drains overnight since 2.4 update",
        ("gizmo_greg", "2024-03-14T08:12:45+00:00", "Since the 2.4 firmware my Volt S5"),
        [
            ("post-40118", None, "wristwatcher", "2024-03-14T10:02:11+00:00", "Same here."),
            ("post-40131", "post-40118", "gizmo_greg", None, "That did it"),  # "Today at …"
        ],
    ),
    (
        "mybb_en_page1.html",
        "https://forums.soundwave.test/showthread.php?tid=3310",
        "mybb",
        "Aurora X3 speaker drops Bluetooth every few minutes",
        ("audio_amy", "2024-03-14T08:12:00+00:00", "Since firmware 1.8 my Aurora X3"),
        [
            ("post-21458", None, "bassline_ben", "2024-03-14T10:05:00+00:00", "Same with mine"),
            # "Yesterday, 09:05 PM": MyBB prints the day in the word's title
            ("post-21463", "post-21458", "audio_amy", "2024-03-15T21:05:00+00:00", "Tried that"),
        ],
    ),
    (
        "fluxbb_fr.html",
        "https://forum.distrib-libre.test/viewtopic.php?id=2048471",
        "fluxbb",
        "Écran noir après mise à jour du noyau sur portable Lenovia",
        ("Tux_Breizh", "2024-03-14T08:12:45+00:00", "Bonjour,\nDepuis la mise à jour du noyau"),
        [
            ("post-21954010", None, "mimi_linux", "2024-03-14T09:40:02+00:00", "Essaie de"),
            # "mimi_linux a écrit :" names no message; "Hier 21:15:00" needs the fetch time
            ("post-21954023", "post-21954010", "Tux_Breizh", None, "Bien vu"),
            ("post-21954030", None, "jp", None, "Même souci"),
        ],
    ),
]

URL = {case[0]: case[1] for case in CASES}


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "url", "engine", "title", "opening", "replies"), CASES, ids=[c[2] for c in CASES]
)
def test_thread_of_each_engine(name, url, engine, title, opening, replies) -> None:
    page = extract_page(_read(name), url)
    assert page.forum == engine and page.is_article and page.title == title
    assert page.thread_url == page.canonical  # the first page is the thread's root
    author, published, start = opening
    assert page.published is not None
    assert (page.author, page.published.isoformat()) == (author, published)
    assert page.text.startswith(start)
    found = [
        (c.id, c.parent_id, c.author, c.published.isoformat() if c.published else None, c.text)
        for c in page.comments
    ]
    assert [f[:4] for f in found] == [r[:4] for r in replies]
    for (_, _, _, _, text), (*_, start) in zip(found, replies, strict=True):
        assert text.startswith(start), text


def test_sibling_postings_without_an_engine_are_one_thread() -> None:
    """Pages printing each post as its own DiscussionForumPosting (Discourse before 2021)."""
    html = _read("discourse_2019_fr.html").replace('name="generator"', 'name="x-generator"')
    page = extract_page(html, URL["discourse_2019_fr.html"])
    assert (page.forum, page.author) == ("schema.org", "lea_t")
    assert [(c.author, c.parent_id) for c in page.comments] == [
        ("gwen35", None),
        ("nuage_assistance", None),
    ]
    assert page.comments[1].published is not None


def test_quotes_are_cut_from_the_reply_and_signatures_dropped() -> None:
    page = extract_page(_read("phpbb_fr_page1.html"), URL["phpbb_fr_page1.html"])
    quoting = next(c for c in page.comments if c.id == "post-81012")
    assert "c'est lui qui consomme" not in quoting.text  # the quoted passage is Claire_B's
    assert "a écrit" not in quoting.text and "Jeanmi" not in page.text
    assert "4 200 km" not in page.text  # the signature is not the post
    xenforo = extract_page(_read("xenforo2_fr.html"), URL["xenforo2_fr.html"])
    assert "deux modèles" not in xenforo.comments[1].text
    assert "Cliquez pour agrandir" not in xenforo.comments[1].text


def test_a_later_page_of_a_thread_belongs_to_its_first_page() -> None:
    page = extract_page(
        _read("phpbb_fr_page2.html"), "https://velo-electrique.test/viewtopic.php?t=4242&start=5"
    )
    assert page.forum == "phpbb" and not page.is_article and page.text == ""
    assert page.thread_url == "https://velo-electrique.test/viewtopic.php?t=4242"
    assert page.next_page is None
    assert [(c.id, c.parent_id, c.author) for c in page.comments] == [
        ("post-81044", "post-81001", "Mathilde.R"),  # quotes the opening post (crawler maps it)
        ("post-81050", "post-81012", "Paulo44"),  # quotes a reply of the first page
    ]
    first = extract_page(_read("phpbb_fr_page1.html"), URL["phpbb_fr_page1.html"])
    assert first.next_page == "https://velo-electrique.test/viewtopic.php?start=5&t=4242"
    assert first.first_post_id == "post-81001"


def test_json_ld_discussion_forum_posting() -> None:
    html = """<html lang="en"><head><title>Thread</title><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "DiscussionForumPosting",
     "headline": "Orbit headphones hiss", "text": "My Orbit headphones hiss at low volume.",
     "url": "https://f.test/t/9", "author": {"@type": "Person", "name": "by Ana"},
     "datePublished": "2024-03-01T08:34:34+02:00",
     "comment": [{"@type": "Comment", "text": "Same, support sent a new pair.",
                  "url": "https://f.test/t/9#c1", "author": {"name": "Bo"},
                  "datePublished": "2024-03-01T09:46:02+02:00",
                  "comment": [{"@type": "Comment", "text": "How long did it take?",
                               "url": "https://f.test/t/9#c2", "author": "Ana"}]}]}
    </script></head><body><p>Loading…</p></body></html>"""
    page = extract_page(html, "https://f.test/t/9")
    assert (page.forum, page.title, page.author) == ("schema.org", "Orbit headphones hiss", "Ana")
    assert page.published is not None
    assert page.published.isoformat() == "2024-03-01T06:34:34+00:00"
    assert [(c.id, c.parent_id, c.author) for c in page.comments] == [
        ("c1", None, "Bo"),
        ("c2", "c1", "Ana"),
    ]


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Par Jeanmi", "Jeanmi"),
        ("par Jeanmi »", "Jeanmi"),
        ("  by  Sam Lee ", "Sam Lee"),
        ("Posted by dash_dan", "dash_dan"),
        ("Bricol'Hugo a dit :", "Bricol'Hugo"),
        ("Claire_B a écrit :", "Claire_B"),
        ("Mike wrote:", "Mike"),
        ("Paris Hilton", "Paris Hilton"),  # a name that merely starts like a byline word
        ("Bypass", "Bypass"),
        ("De Niro", "De Niro"),
        ("", None),
    ],
)
def test_author_names_lose_their_byline(raw: str, name: str | None) -> None:
    assert clean_author(raw) == name


def test_engine_markup_without_readable_posts_falls_back_to_the_article() -> None:
    html = (
        '<html><body id="phpbb"><div id="p1" class="post"><div class="postbody">'
        '<p class="author">par <a class="username">X</a></p></div></div>'
        "<article><h1>Titre</h1><p>" + "Un texte assez long pour être un article. " * 10
    )
    page = extract_page(html, "https://f.test/viewtopic.php?t=1")
    assert page.forum is None and "assez long" in page.text


@pytest.mark.parametrize(
    ("html", "engine"),
    [
        # cut before the first post's text: XenForo's own JSON-LD still gives the opening post
        (_read("xenforo2_fr.html")[:6900], "schema.org"),
        (_read("xenforo2_fr.html")[:11000], "xenforo"),  # cut inside the thread
        (
            '<html><head><script type="application/ld+json">{"@type": '
            '"DiscussionForumPosting", "comment": 5, "author": [], "text": null</script></head>'
            "<body><p>x</p></body></html>",
            None,
        ),
        (
            '<html><head><script type="application/ld+json">{"@type": '
            '"DiscussionForumPosting", "comment": 5, "author": [], "text": "Hi"}</script></head>'
            "<body><p>x</p></body></html>",
            "schema.org",
        ),
        (
            '<html><body><div itemscope itemtype="https://schema.org/DiscussionForumPosting">'
            '<div itemprop="text"></div><div itemprop="comment" itemscope>'
            '<span itemprop="author"></span></div></div></body></html>',
            None,
        ),
    ],
)
def test_malformed_forum_markup_does_not_crash(html: str, engine: str | None) -> None:
    page = extract_page(html, "https://f.test/t/1")
    assert page.forum == engine
    assert all(c.text for c in page.comments)


def _forum(site: LocalSite) -> str:
    page1, page2 = _read("phpbb_fr_page1.html"), _read("phpbb_fr_page2.html")
    site.routes["/viewtopic.php?t=4242"] = Route(page1)
    site.routes["/viewtopic.php?start=5&t=4242"] = Route(page2)
    return site.url("/viewtopic.php?t=4242")


@pytest.mark.slow
def test_crawler_follows_a_thread_over_its_pages(tmp_path: Path, site: LocalSite) -> None:
    root = _forum(site)
    web = {"name": "forum", "start_urls": [root], "max_depth": 0}
    config = make_config(tmp_path, [web])
    state: dict = {}
    emitted = list(crawl(config.sources.web, config.crawler, state))
    pages = [e.row for e in emitted if e.kind == "page"]
    comments = {e.row["comment_id"].split("#")[1]: e.row for e in emitted if e.kind == "comment"}
    assert [(p["url"], p["author"], p["title"]) for p in pages] == [
        (root, "Jeanmi", "Batterie du Zéphyr X2 qui se vide en une nuit")
    ]
    assert sorted(comments) == [f"post-810{n}" for n in ("07", "12", "20", "31", "44", "50")]
    assert {c["page_url"] for c in comments.values()} == {root}  # every post in its thread
    assert comments["post-81012"]["parent_id"] == f"{root}#post-81007"
    assert comments["post-81044"]["parent_id"] is None  # quotes the opening post: the page
    assert comments["post-81050"]["parent_id"] == f"{root}#post-81012"  # across pages
    assert not [e for e in emitted if e.kind == "quarantine"]
    # a re-run finds nothing new; a page cap of one leaves the second page alone
    assert not [
        e for e in crawl(config.sources.web, config.crawler, state) if e.kind != "quarantine"
    ]
    site.requests.clear()
    capped = make_config(tmp_path, [{**web, "max_pages": 1}])
    list(crawl(capped.sources.web, capped.crawler, {}))
    assert "/viewtopic.php?start=5&t=4242" not in site.paths()


@pytest.mark.slow
def test_new_replies_on_a_later_page_behind_an_unchanged_first_page(
    tmp_path: Path, site: LocalSite
) -> None:
    _forum(site)
    for path in ("/viewtopic.php?t=4242", "/viewtopic.php?start=5&t=4242"):
        site.route(path).etag = True  # answers If-None-Match with 304 while unchanged
    site.routes["/viewforum.php?f=3"] = Route(
        '<html lang="fr"><body id="phpbb" class="section-viewforum"><ul class="topiclist">'
        '<li><a class="topictitle" href="./viewtopic.php?t=4242">Batterie</a></li></ul></body>'
        "</html>"
    )
    web = {"name": "forum", "start_urls": [site.url("/viewforum.php?f=3")], "max_depth": 1}
    config = make_config(tmp_path, [web])
    state: dict = {}
    first = list(crawl(config.sources.web, config.crawler, state))
    assert len([e for e in first if e.kind == "comment"]) == 6
    page2 = site.routes["/viewtopic.php?start=5&t=4242"]
    assert isinstance(page2, Route)
    page2.body = str(page2.body).replace(
        '<div class="action-bar bar-bottom">',
        '<div id="p81077" class="post"><div class="postbody"><p class="author">par '
        '<a class="username">Claire_B</a> <time datetime="2024-04-02T10:00:00+02:00">x</time>'
        '</p><div class="content">Toujours aucun souci depuis la 2.5.</div></div></div>'
        '<div class="action-bar bar-bottom">',
    )
    again = list(crawl(config.sources.web, config.crawler, state))
    assert [(e.kind, e.row.get("comment_id", "").split("#")[-1]) for e in again] == [
        ("comment", "post-81077")
    ]
    assert again[0].row["page_url"] == site.url("/viewtopic.php?t=4242")
    assert again[0].row["published_at"].isoformat() == "2024-04-02T08:00:00+00:00"


@pytest.mark.slow
def test_a_thread_lands_in_the_raw_tables_as_page_and_replies(
    tmp_path: Path, site: LocalSite
) -> None:
    root = _forum(site)
    config = make_config(tmp_path, [{"name": "forum", "start_urls": [root], "max_depth": 0}])
    run_source(config, "web")
    con = duckdb.connect(str(config.resolve(config.warehouse.path)), read_only=True)
    try:
        pages = con.execute("select url, author, text from raw.web_pages").fetchall()
        comments = con.execute(
            "select comment_id, page_url, parent_id, author from raw.web_comments order by 1"
        ).fetchall()
    finally:
        con.close()
    assert [(url, author) for url, author, _ in pages] == [(root, "Jeanmi")]
    assert pages[0][2].startswith("Bonjour à tous")
    assert comments == [
        (f"{root}#post-81007", root, None, "Claire_B"),
        (f"{root}#post-81012", root, f"{root}#post-81007", "Paulo44"),
        (f"{root}#post-81020", root, None, "velotaf_rennes"),
        (f"{root}#post-81031", root, None, "Jeanmi"),
        (f"{root}#post-81044", root, None, "Mathilde.R"),
        (f"{root}#post-81050", root, f"{root}#post-81012", "Paulo44"),
    ]


def test_a_quote_naming_only_its_author_points_at_their_latest_earlier_post() -> None:
    # phpBB 3.0 and old XenForo quotes name the quoted member but no post
    phpbb = _read("phpbb_fr_page1.html").replace(
        '<blockquote cite="./viewtopic.php?p=81007#p81007"><div><cite><a href="./memberlist.php'
        '?mode=viewprofile&amp;u=377">Claire_B</a> a écrit : <a href="./viewtopic.php?p=81007'
        '#p81007" aria-label="Voir le message cité" data-post-id="81007" onclick="if(document.'
        'getElementById(hash.substr(1)))href=hash">↑</a>',
        '<blockquote class="uncited"><div><cite>Claire_B a écrit :',
    )
    assert 'class="uncited"' in phpbb
    page = extract_page(phpbb, URL["phpbb_fr_page1.html"])
    assert [c.parent_id for c in page.comments] == [None, "post-81007", None, None]
    xenforo = _read("xenforo2_fr.html").replace('data-source="post: 120478"', "")
    page = extract_page(xenforo, URL["xenforo2_fr.html"])
    assert page.comments[1].parent_id == "post-120478"
    unknown = _read("xenforo2_fr.html").replace('data-source="post: 120478"', "")
    unknown = unknown.replace('data-quote="Bricol&#039;Hugo"', 'data-quote="Personne"')
    assert extract_page(unknown, URL["xenforo2_fr.html"]).comments[1].parent_id is None


@pytest.mark.slow
def test_pages_without_a_page_parameter_join_the_thread_they_were_reached_from(
    tmp_path: Path, site: LocalSite
) -> None:
    """Rewritten URLs (/topic4242-5.html) say nothing of the thread: the next link does."""
    page1, page2 = _read("phpbb_fr_page1.html"), _read("phpbb_fr_page2.html")
    for old, new in (
        ("./viewtopic.php?t=4242&amp;start=5", "/topic4242-5.html"),
        ("/viewtopic.php?t=4242&amp;start=5", "/topic4242-5.html"),
        ("./viewtopic.php?t=4242", "/topic4242.html"),
        ("/viewtopic.php?t=4242", "/topic4242.html"),
    ):
        page1, page2 = page1.replace(old, new), page2.replace(old, new)
    site.routes["/topic4242.html"] = Route(page1)
    site.routes["/topic4242-5.html"] = Route(page2)
    root = site.url("/topic4242.html")
    config = make_config(tmp_path, [{"name": "forum", "start_urls": [root], "max_depth": 0}])
    emitted = list(crawl(config.sources.web, config.crawler, {}))
    assert [e.row["url"] for e in emitted if e.kind == "page"] == [root]
    comments = [e.row for e in emitted if e.kind == "comment"]
    assert len(comments) == 6 and {c["page_url"] for c in comments} == {root}
    assert comments[-2]["parent_id"] is None  # quotes the opening post, on the first page


def test_phpbb_search_results_are_not_a_thread() -> None:
    results = _read("phpbb_fr_page1.html").replace('class="post has-profile', 'class="search post')
    assert (
        extract_page(results, "https://velo-electrique.test/search.php?author_id=214").forum is None
    )


def test_phpbb_3_0_dates_and_next_link() -> None:
    """phpBB 3.0 prints no <time>: "par Jeanmi » jeu. 14 mars 2024 09:12" (board time, as UTC),
    and its next-page link sits in the display options."""
    html = re.sub(r"<time datetime=\"[^\"]+\">([^<]+)</time>", r"\1", _read("phpbb_fr_page1.html"))
    assert "<time" not in html
    html = (
        html.replace(' rel="next"', "")
        .replace("arrow next", "arrow")
        .replace(
            '<div class="action-bar bar-bottom">',
            '<fieldset class="display-options"><a href="./viewtopic.php?t=4242&amp;start=5" '
            'class="right-box arrow-right">Suivante</a></fieldset>'
            '<div class="action-bar bar-bottom">',
        )
    )
    page = extract_page(html, URL["phpbb_fr_page1.html"])
    assert page.next_page == "https://velo-electrique.test/viewtopic.php?start=5&t=4242"
    assert page.published is not None and page.published.isoformat() == "2024-03-14T09:12:00+00:00"
    assert [c.published.isoformat() if c.published else None for c in page.comments][:2] == [
        "2024-03-14T10:30:00+00:00",
        "2024-03-14T12:05:00+00:00",
    ]


@pytest.mark.parametrize(
    ("name", "kept", "skipped"),
    [
        ("phpbb_fr_page1.html", "/viewforum.php?f=3", ("memberlist.php", "posting.php", "?p=")),
        ("xenforo2_fr.html", "/forums/petit-electromenager.12/", ("/members/", "/post-", "/goto/")),
        ("invision4_fr.html", "/forum/14-entretien-de-la-maison/", ("/profile/", "do=")),
        ("discourse_en.html", "/c/support/7", ("/u/",)),
        ("vbulletin5_en.html", "/forum/dashcams/kestrel-9", ("/member/", "?p=")),
        ("smf21_fr.html", "?board=3.0", ("action=", "prev_next", "msg=")),
        ("smf20_en.html", "?topic=912.15", ("action=", "prev_next", ".msg")),
        ("mybb_en_page1.html", "/forumdisplay.php?fid=4", ("member.php", "search.php", "pid=")),
        ("fluxbb_fr.html", "/viewforum.php?id=9", ("profile.php", "post.php", "pid=")),
    ],
)
def test_thread_pages_lead_to_forums_not_to_profiles_or_actions(
    name: str, kept: str, skipped: tuple[str, ...]
) -> None:
    links = extract_page(_read(name), URL[name]).links
    assert any(link.endswith(kept) for link in links), links
    assert not [link for link in links for noise in skipped if noise in link]


@pytest.mark.slow
def test_vbulletin_4_friendly_urls_survive_the_crawl(tmp_path: Path, site: LocalSite) -> None:
    """`showthread.php?18236-title/page2`: a query without `=` whose `/` the engine reads; the
    second page names the first as its canonical URL (some boards do), and still counts."""
    thread = "/showthread.php?18236-Volta-E-208-la-recharge-rapide-ne-demarre-plus"
    page1 = _read("vbulletin4_fr.html").replace(
        '<base href="https://www.forum-auto-passion.test/" />', f'<base href="{site.url("/")}" />'
    )
    head, _, rest = page1.partition('<li class="postbitlegacy')
    last = '<li class="postbitlegacy' + rest.split('<li class="postbitlegacy')[-1]
    page2 = head + last.replace("post_402288", "post_402301").replace("402288", "402301")
    page2 = page2.replace('rel="next"', 'rel="prev"')
    site.routes[thread] = Route(page1)
    site.routes[f"{thread}/page2"] = Route(page2)
    root = site.url(thread)
    config = make_config(tmp_path, [{"name": "vb", "start_urls": [root], "max_depth": 0}])
    emitted = list(crawl(config.sources.web, config.crawler, {}))
    assert f"{thread}/page2" in site.paths()
    assert [e.row["url"] for e in emitted if e.kind == "page"] == [root]
    comments = {e.row["comment_id"]: e.row for e in emitted if e.kind == "comment"}
    assert sorted(comments) == [f"{root}#post-{n}" for n in (402230, 402288, 402301)]
    assert comments[f"{root}#post-402301"]["parent_id"] == f"{root}#post-402230"


def test_attachments_code_headers_edit_notes_and_link_previews_are_not_the_post() -> None:
    phpbb = _read("phpbb_fr_page1.html").replace(
        "Quelqu'un a-t-il eu le même souci ?</div>",
        'Quelqu\'un a-t-il eu le même souci ?<div class="codebox"><p>Code : <a href="#">'
        "Tout sélectionner</a></p><pre><code>erreur E42</code></pre></div>"
        '<dl class="attachbox"><dt>Pièces jointes</dt><dd><dl class="file"><dt>'
        "batterie.jpg</dt><dd>batterie.jpg (52.1 Kio) Vu 45 fois</dd></dl></dd></dl></div>",
    )
    text = extract_page(phpbb, URL["phpbb_fr_page1.html"]).text
    assert "erreur E42" in text
    assert "Tout sélectionner" not in text and "Kio" not in text
    invision = _read("invision4_fr.html").replace(
        "<p>Est-ce que la batterie est sous garantie ?</p>",
        "<p>Est-ce que la batterie est sous garantie ?</p><p><span data-excludequote>"
        "<strong>Modifié le 26 février 2024 par Fred_L</strong></span></p>",
    )
    assert "Modifié" not in extract_page(invision, URL["invision4_fr.html"]).text
    discourse = _read("discourse_en.html").replace(
        "<p>Tried resetting",
        '<aside class="onebox allowlistedgeneric"><header class="source">nimbus.test</header>'
        '<article class="onebox-body"><h3>Nimbus firmware notes</h3></article></aside>'
        "<p>Tried resetting",
    )
    text = extract_page(discourse, URL["discourse_en.html"]).text
    assert "firmware notes" not in text and "Tried resetting" in text


def test_a_blog_theme_with_post_and_postbody_classes_is_not_phpbb() -> None:
    html = (
        '<html lang="fr"><head><meta property="og:type" content="article"><title>Test</title>'
        '</head><body><div id="post-12" class="post"><div class="postbody"><div class="content">'
        + "<p>Un long article de blog sur la nouvelle box de Nuage Télécom et ses débits.</p>" * 5
        + "</div></div></div></body></html>"
    )
    page = extract_page(html, "https://blog.test/box")
    assert page.forum is None and page.is_article and "Nuage Télécom" in page.text


def test_invision_5_class_names() -> None:
    """Invision 5 renamed the post classes (ipsEntry); ids and data-role stayed."""
    html = (
        _read("invision4_fr.html")
        .replace('data-pageApp="forums"', "")
        .replace("cPost ipsBox", "ipsEntry js-ipsEntry ipsEntry--post")
        .replace("cAuthorPane_author", "ipsEntry__username")
        .replace("ipsComment_meta", "ipsEntry__meta")
    )
    assert "cPost ipsBox" not in html and "cAuthorPane_author" not in html
    page = extract_page(html, URL["invision4_fr.html"])
    assert (page.forum, page.author) == ("invision", "Fred_L")
    assert [(c.author, c.parent_id) for c in page.comments] == [
        ("Marie_C", None),
        ("Fred_L", "post-402130"),
        ("Invité Lucas", None),
    ]


# -- Simple Machines Forum, MyBB, FluxBB / PunBB ------------------------------------------------


def _root(html: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(html)


def test_smf_mybb_fluxbb_cut_quotes_signatures_and_edit_notes() -> None:
    texts = {}
    for name in ("smf21_fr.html", "smf20_en.html", "mybb_en_page1.html", "fluxbb_fr.html"):
        page = extract_page(_read(name), URL[name])
        texts[name] = [page.text, *(c.text for c in page.comments)]
    smf21, smf20, mybb, flux = (
        "\n".join(texts[n])
        for n in ("smf21_fr.html", "smf20_en.html", "mybb_en_page1.html", "fluxbb_fr.html")
    )
    assert smf21.count("le calcaire bouche") == 1  # in Rémi's post, not in Karine's quote
    assert "Citation" not in smf21 and "Molino" not in smf21 and "Dernière édition" not in smf21
    assert smf21.count("La pompe chauffe") == 1
    assert smf20.count("heart rate sensor") == 1 and "Quote from" not in smf20
    assert "too many chargers" not in smf20 and "Last Edit" not in smf20
    assert mybb.count("pairing again") == 1 and "Wrote" not in mybb
    assert "too many cables" not in mybb and "last modified" not in mybb
    assert flux.count("menu GRUB") == 1 and "a écrit" not in flux
    assert "Lenovia Aria 14\n" not in flux + "\n" and "Dernière modification" not in flux


def test_relative_dates_are_read_against_the_fetch_time() -> None:
    """SMF "Today at 07:45:09 PM", FluxBB "Hier 21:15:00" / "Aujourd'hui 10:42:15": None from
    the page alone (see the cases above), a date once the fetch time is known."""
    fetched = datetime(2024, 3, 16, 11, 5, tzinfo=UTC)

    def dates(name: str) -> list[str | None]:
        url = URL.get(name, URL["mybb_en_page1.html"] + "&page=2")
        thread = extract_thread(_root(_read(name)), url, fetched_at=fetched)
        assert thread is not None
        return [p.published.isoformat() if p.published else None for p in thread.posts]

    assert dates("smf20_en.html")[2] == "2024-03-16T19:45:09+00:00"
    assert dates("fluxbb_fr.html")[2:] == ["2024-03-15T21:15:00+00:00", "2024-03-16T10:42:15+00:00"]
    # MyBB carries the real date in a title: the fetch time is not needed, nor used
    assert dates("mybb_en_page2.html")[0] == "2024-03-16T07:30:00+00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Today at 07:45:09 PM", "2024-03-16T19:45:09+00:00"),
        ("Aujourd'hui à 10:42:15", "2024-03-16T10:42:15+00:00"),
        ("Hier à 21:15", "2024-03-15T21:15:00+00:00"),
        ("Yesterday, 12:05 AM", "2024-03-15T00:05:00+00:00"),
        ("Today 10:42:15", "2024-03-16T10:42:15+00:00"),
        ("il y a 5 minutes", "2024-03-16T11:00:00+00:00"),
        ("2 hours ago", "2024-03-16T09:05:00+00:00"),
        ("Today at 13:00 PM", None),
        ("Hier", None),
        ("Last week at 10:00", None),
        ("14 mars 2024 à 10:42", None),  # absolute: parse_text_date's business
    ],
)
def test_relative_forum_dates(text: str, expected: str | None) -> None:
    fetched = datetime(2024, 3, 16, 11, 5, tzinfo=UTC)
    found = parse_relative_date(text, fetched)
    assert (found.isoformat() if found else None) == expected
    assert parse_relative_date(text, None) is None  # never without the fetch time


def test_smf_next_page_is_the_next_page_not_the_next_topic() -> None:
    """SMF 2.0 prints <link rel="next"> to the board's next topic (`prev_next=next`)."""
    html = _read("smf20_en.html")
    page = extract_page(html, URL["smf20_en.html"])
    assert page.next_page == "https://www.gadgetboards.test/index.php?topic=912.15"
    last = html.replace(
        '<a class="navPages" href="https://www.gadgetboards.test/index.php?topic=912.15">2</a>', ""
    )
    assert "prev_next=next" in last
    assert extract_page(last, URL["smf20_en.html"]).next_page is None
    later = extract_page(
        html.replace('topic=912.0" />', 'topic=912.15" />', 1),
        "https://www.gadgetboards.test/index.php?topic=912.15",
    )
    assert later.thread_url == URL["smf20_en.html"] and not later.is_article
    assert [c.id for c in later.comments][:1] == ["post-40110"]


def test_a_later_mybb_page_belongs_to_its_first_page() -> None:
    page = extract_page(_read("mybb_en_page2.html"), URL["mybb_en_page1.html"] + "&page=2")
    assert page.forum == "mybb" and not page.is_article and page.text == ""
    assert page.thread_url == URL["mybb_en_page1.html"] and page.next_page is None
    assert [(c.id, c.parent_id, c.author) for c in page.comments] == [
        ("post-21470", "post-21450", "tech_tom"),  # quotes the opening post (crawler maps it)
        ("post-21475", "post-21458", "bassline_ben"),  # quotes a reply of the first page
    ]
    first = extract_page(_read("mybb_en_page1.html"), URL["mybb_en_page1.html"])
    assert first.next_page == "https://forums.soundwave.test/showthread.php?page=2&tid=3310"
    assert first.first_post_id == "post-21450"


def test_punbb_quotes_and_first_pages() -> None:
    """PunBB 1.2 (FluxBB's parent) quotes as blockquote > div.incqbox > h4 "X wrote:"."""
    html = (
        _read("fluxbb_fr.html")
        .replace(
            '<div class="quotebox"><cite>mimi_linux a écrit :</cite><blockquote><div>',
            '<blockquote><div class="incqbox"><h4>mimi_linux wrote:</h4>',
        )
        .replace("</p></div></blockquote></div>", "</p></div></blockquote>", 1)
    )
    assert "incqbox" in html and "quotebox" not in html
    page = extract_page(html, URL["fluxbb_fr.html"])
    assert page.comments[1].parent_id == "post-21954010"
    assert "menu GRUB" not in page.comments[1].text and "wrote" not in page.comments[1].text
    canonical = '"viewtopic.php?id=2048471" title="Page 1"'
    html = html.replace(canonical, '"viewtopic.php?id=2048471&amp;p=2"')  # the second page's
    later = extract_page(html, URL["fluxbb_fr.html"] + "&p=2")
    assert later.thread_url == URL["fluxbb_fr.html"] and not later.is_article


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        # SMF recent posts, profile "show posts": the same message boxes, no #forumposts
        ("smf21_fr.html", 'id="forumposts"', 'id="recent"'),
        ("smf20_en.html", 'id="forumposts"', 'id="recent"'),
        ("mybb_en_page1.html", 'id="posts"', 'id="announcements"'),  # the portal
        # FluxBB search results shown as posts print the same blockposts
        ("fluxbb_fr.html", 'id="punviewtopic"', 'id="punsearch"'),
    ],
)
def test_pages_of_smf_mybb_fluxbb_other_than_threads_are_not_threads(
    name: str, old: str, new: str
) -> None:
    html = _read(name)
    assert old in html
    assert extract_page(html.replace(old, new), URL[name]).forum is None


@pytest.mark.parametrize(
    ("html", "engine"),
    [
        (_read("smf21_fr.html")[:17500], "smf"),  # cut inside the thread
        (_read("smf21_fr.html").replace('class="inner"', 'class="x"'), None),  # no body
        (_read("smf20_en.html").replace("</div>", "", 40), "smf"),  # unclosed blocks
        (
            '<div id="forumposts"><div class="post_wrapper"><div class="inner" id="msg_x">'
            '<div class="quoteheader">Quote from:</div><blockquote class="bbc_standard_quote">'
            "</blockquote></div></div></div>",
            None,
        ),
        (_read("mybb_en_page1.html")[:13000], "mybb"),
        (_read("mybb_en_page1.html").replace('class="post_date"', 'class="x"'), "mybb"),
        (
            '<div id="posts"><div class="post" id="post_"><div class="post_body">'
            '<blockquote class="mycode_quote"><cite><a href="?pid=">'
            "</a></cite></blockquote>Hi</div></div></div>",
            "mybb",
        ),
        (_read("fluxbb_fr.html")[:6000], "fluxbb"),
        (_read("fluxbb_fr.html").replace("<h2>", "<h9>"), "fluxbb"),
        (
            '<div id="punviewtopic"><div id="p" class="blockpost"><div class="postmsg">x</div>'
            '</div><div id="p1" class="blockpost"><h2><a>Aujourd\'hui 99:99</a></h2>'
            '<div class="postmsg"><div class="quotebox"><cite></cite></div></div></div></div>',
            None,
        ),
    ],
)
def test_malformed_smf_mybb_fluxbb_markup_does_not_crash(html: str, engine: str | None) -> None:
    page = extract_page(html, "https://f.test/t/1")
    assert page.forum == engine
    assert all(c.text for c in page.comments)
    thread = extract_thread(_root(html), "https://f.test/t/1", fetched_at=datetime.now(UTC))
    assert (thread.engine if thread else None) == engine


_MYBB = "https://forums.soundwave.test/"


@pytest.mark.slow
def test_crawler_follows_a_mybb_thread_over_its_pages(tmp_path: Path, site: LocalSite) -> None:
    here = site.url("/")  # the pages' canonical links name their own site
    page1, page2 = (_read(f"mybb_en_page{n}.html").replace(_MYBB, here) for n in (1, 2))
    site.routes["/showthread.php?tid=3310"] = Route(page1)
    site.routes["/showthread.php?page=2&tid=3310"] = Route(page2)
    root = site.url("/showthread.php?tid=3310")
    config = make_config(tmp_path, [{"name": "mybb", "start_urls": [root], "max_depth": 0}])
    emitted = list(crawl(config.sources.web, config.crawler, {}))
    assert "/showthread.php?page=2&tid=3310" in site.paths()
    pages = [e.row for e in emitted if e.kind == "page"]
    assert [(p["url"], p["author"]) for p in pages] == [(root, "audio_amy")]
    comments = {e.row["comment_id"].split("#")[1]: e.row for e in emitted if e.kind == "comment"}
    assert sorted(comments) == [f"post-214{n}" for n in (58, 63, 70, 75)]
    assert {c["page_url"] for c in comments.values()} == {root}
    assert comments["post-21463"]["parent_id"] == f"{root}#post-21458"
    assert comments["post-21470"]["parent_id"] is None  # quotes the opening post: the page
    assert comments["post-21475"]["parent_id"] == f"{root}#post-21458"  # across pages
    assert comments["post-21470"]["published_at"].isoformat() == "2024-03-16T07:30:00+00:00"
    assert not [e for e in emitted if e.kind == "quarantine"]


def test_the_crawler_dates_relative_forum_dates_by_its_fetch_time(
    tmp_path: Path, site: LocalSite
) -> None:
    """FluxBB's "Hier 21:15:00" / "Aujourd'hui 10:42:15": the crawl's own clock dates them."""
    site.routes["/viewtopic.php?id=2048471"] = Route(_read("fluxbb_fr.html"))
    root = site.url("/viewtopic.php?id=2048471")
    config = make_config(tmp_path, [{"name": "flux", "start_urls": [root], "max_depth": 0}])
    before = datetime.now(UTC)
    emitted = list(crawl(config.sources.web, config.crawler, {}))
    after = datetime.now(UTC)
    comments = {e.row["comment_id"].split("#")[1]: e.row for e in emitted if e.kind == "comment"}
    today = comments["post-21954030"]["published_at"]
    yesterday = comments["post-21954023"]["published_at"]
    assert today.date() in {before.date(), after.date()} and today.time().isoformat() == "10:42:15"
    assert yesterday.date() == today.date() - timedelta(days=1)
    assert yesterday.time().isoformat() == "21:15:00"
