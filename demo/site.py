"""The demo news site as HTML, RSS and sitemap text, shaped like a real small French news site.

Pages carry the usual boilerplate (header, navigation, sidebar, footer) around the article, the
metadata real sites publish (Open Graph, `article:published_time`, JSON-LD NewsArticle) and comments
marked up with schema.org microdata, replies nested inside their parent.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from demo.model import Article, Comment

SITE_NAME = "L'Écho des Réseaux"
PAGE_SIZE = 20
FEED_SIZE = 50
HOME_TAGS = ("reseau", "fibre", "prix", "service-client", "5g")
MONTHS_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a Z, as sites and APIs usually write it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _human(moment: datetime) -> str:
    return f"{moment.day} {MONTHS_FR[moment.month - 1]} {moment.year} à {moment:%H:%M}"


def _page(title: str, body: str, lang: str = "fr", head: str = "", sidebar: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(SITE_NAME)}" href="/feed.xml">
{head}</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{escape(SITE_NAME)}</a>
  <nav class="main-nav"><ul>
    <li><a href="/">Accueil</a></li>
{"".join(f'    <li><a href="/tag/{t}">{t}</a></li>{chr(10)}' for t in HOME_TAGS)}\
    <li><a href="/a-propos.html">À propos</a></li>
  </ul></nav>
  <form class="search" action="/search" method="get">
    <input name="q" placeholder="Rechercher"></form>
  <div class="cookie-banner">Ce site utilise des cookies pour mesurer l'audience.
    <button>Accepter</button></div>
</header>
<main>
{body}
</main>
<aside class="sidebar">{sidebar}</aside>
<footer class="site-footer">
  <p>© {escape(SITE_NAME)} — toute l'actualité des opérateurs télécom.</p>
  <ul><li><a href="/a-propos.html">Mentions légales</a></li>
  <li><a href="/admin/">Espace rédaction</a></li>
  <li><a href="/feed.xml">Flux RSS</a></li></ul>
</footer>
</body>
</html>
"""


def _comment_html(comment: Comment, indent: str = "  ") -> str:
    replies = ""
    if comment.replies:
        inner = "".join(_comment_html(r, indent + "    ") for r in comment.replies)
        replies = f'{indent}  <div class="replies">\n{inner}{indent}  </div>\n'
    return (
        f'{indent}<article class="comment" id="{comment.local_id}" itemscope '
        f'itemtype="https://schema.org/Comment">\n'
        f'{indent}  <header><span itemprop="author">{escape(comment.author)}</span> · '
        f'<time itemprop="dateCreated" datetime="{iso(comment.published_at)}">'
        f"{_human(comment.published_at)}</time></header>\n"
        f'{indent}  <div itemprop="text"><p>{escape(comment.text)}</p></div>\n'
        f'{indent}  <a class="reply-link" href="#{comment.local_id}">Répondre</a>\n'
        f"{replies}{indent}</article>\n"
    )


def _json_ld(article: Article, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.last_modified),
        "inLanguage": article.lang,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "mainEntityOfPage": url,
        "commentCount": len(article.all_comments()),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def _links(articles: list[Article]) -> str:
    return "".join(
        f'<li><a href="{a.path}">{escape(a.title)}</a> '
        f'<time datetime="{iso(a.published_at)}">{_human(a.published_at)}</time></li>\n'
        for a in articles
    )


def article_page(article: Article, base_url: str, latest: list[Article]) -> str:
    """A full article page; `latest` fills the sidebar's "À lire aussi" links."""
    url = base_url + article.path
    head = (
        f'<meta property="og:title" content="{escape(article.title)}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta name="author" content="{escape(article.author)}">\n'
        f'<meta property="article:published_time" content="{iso(article.published_at)}">\n'
        f'<meta property="article:modified_time" content="{iso(article.last_modified)}">\n'
        + "".join(f'<meta property="article:tag" content="{t}">\n' for t in article.tags)
        + _json_ld(article, url)
    )
    paragraphs = "".join(f"  <p>{escape(p)}</p>\n" for p in article.paragraphs)
    comments = "".join(_comment_html(c) for c in article.comments)
    count = len(article.all_comments())
    tags = " ".join(f'<a rel="tag" href="/tag/{t}">#{t}</a>' for t in article.tags)
    body = f"""<article class="post">
  <h1>{escape(article.title)}</h1>
  <p class="byline">Par <a class="author" href="/a-propos.html">{escape(article.author)}</a>,
    le <time datetime="{iso(article.published_at)}">{_human(article.published_at)}</time></p>
{paragraphs}  <p class="tags">{tags}</p>
  <div class="share">Partager : <a href="#">Mastodon</a> <a href="#">Bluesky</a></div>
</article>
<section id="comments">
  <h2>{count} commentaire{"s" if count != 1 else ""}</h2>
{comments}</section>
"""
    others = [a for a in latest if a.path != article.path][:5]
    sidebar = f"<h3>À lire aussi</h3><ul>{_links(others)}</ul>"
    return _page(f"{article.title} — {SITE_NAME}", body, article.lang, head, sidebar)


def listing_page(
    title: str, articles: list[Article], page: int, more: bool, prefix: str, extra: str = ""
) -> str:
    """A page of article links, newest first, with previous/next pagination.

    Like many real sites, listings say they are not articles (`og:type` website), tag and deeper
    pages ask not to be indexed, and `?page=1` names its canonical first page.
    """
    first = prefix.rstrip("?")
    nav = []
    if page > 1:
        previous = first if page == 2 else f"{prefix}page={page - 1}"
        nav.append(f'<a rel="prev" href="{previous}">Page précédente</a>')
    if more:
        nav.append(f'<a rel="next" href="{prefix}page={page + 1}">Page suivante</a>')
    body = (
        f'<h1>{escape(title)}</h1>\n<ul class="articles">\n{_links(articles)}</ul>\n'
        f'<nav class="pagination">{" ".join(nav)}</nav>\n{extra}'
    )
    head = '<meta property="og:type" content="website">\n'
    if page > 1 or first != "/":
        head += '<meta name="robots" content="noindex, follow">\n'
    if page == 1:
        head += f'<link rel="canonical" href="{first}">\n'
    return _page(f"{title} — {SITE_NAME}", body, head=head)


def partners_box(copies: list[Article]) -> str:
    return (
        '<section class="partners"><h2>Vu chez nos partenaires</h2>'
        f"<ul>{_links(copies)}</ul></section>\n"
    )


def static_page(title: str, text: str) -> str:
    return _page(f"{title} — {SITE_NAME}", f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n")


def not_found_page(path: str) -> str:
    return static_page("Page introuvable", f"La page {path} n'existe pas ou a été déplacée.")


def robots_txt(base_url: str) -> str:
    return (
        f"User-agent: *\nDisallow: /admin/\nDisallow: /search\n\nSitemap: {base_url}/sitemap.xml\n"
    )


def sitemap_xml(base_url: str, pages: list[Article]) -> str:
    """Every visible page with the time of its latest change (publication or newest comment)."""
    urls = "".join(
        f"  <url><loc>{xml_escape(base_url + p.path)}</loc>"
        f"<lastmod>{iso(p.last_modified)}</lastmod></url>\n"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def feed_xml(base_url: str, articles: list[Article]) -> str:
    """RSS 2.0 of the latest FEED_SIZE articles, newest first."""
    latest = articles[:FEED_SIZE]
    items = "".join(
        "  <item>\n"
        f"    <title>{xml_escape(a.title)}</title>\n"
        f"    <link>{xml_escape(base_url + a.path)}</link>\n"
        f'    <guid isPermaLink="true">{xml_escape(base_url + a.path)}</guid>\n'
        f"    <pubDate>{format_datetime(a.published_at, usegmt=True)}</pubDate>\n"
        f"    <dc:creator>{xml_escape(a.author)}</dc:creator>\n"
        f"    <description>{xml_escape(a.paragraphs[0])}</description>\n"
        "  </item>\n"
        for a in latest
    )
    built = format_datetime(latest[0].published_at, usegmt=True) if latest else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"  <title>{xml_escape(SITE_NAME)}</title>\n  <link>{xml_escape(base_url)}/</link>\n"
        "  <description>L'actualité des opérateurs télécom et de leurs clients.</description>\n"
        f"  <language>fr</language>\n  <lastBuildDate>{built}</lastBuildDate>\n"
        f"{items}</channel>\n</rss>\n"
    )
