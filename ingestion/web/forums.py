"""Forum threads as threads: the opening post, then each reply with its author, date and parent.

The engine is recognised from its markup (generator meta, the class names and ids its templates
always print, schema.org `DiscussionForumPosting`), then its posts are read with that engine's
selectors: phpBB 3 (prosilver), Discourse (the crawler view it serves without JavaScript),
vBulletin 3/4 and 5, XenForo 2, Invision Community 4 and 5, Simple Machines Forum 2.0 and 2.1,
MyBB 1.8, FluxBB 1.4/1.5 and PunBB 1.2, and any page marked up with schema.org
`DiscussionForumPosting` + `Comment` (microdata or JSON-LD). A reply that quotes another post points
at it; every post of a thread, whatever its page, belongs to the thread's first page (its root).
Quoted passages are cut out of a reply's text: they belong to the post they quote. Relative dates
("Today at 10:42", "Hier 21:15") need the page's fetch time (`extract_thread(..., fetched_at=)`).
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeAlias
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from lxml import html as lxml_html

from ingestion.web.dates import parse_datetime, parse_relative_date, parse_text_date
from ingestion.web.urls import canonical_url

log = logging.getLogger(__name__)

Element: TypeAlias = lxml_html.HtmlElement
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "table", "section", "article",
    "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "aside", "header", "footer",
}  # fmt: skip
NOISE_TAGS = ("script", "style", "noscript", "button", "form", "template")
AUTHOR_PREFIX = re.compile(
    r"^(?:posted\s+by|written\s+by|publié\s+par|posté\s+par|écrit\s+par|message\s+de|"
    r"by|par|por)\s+",
    re.IGNORECASE,
)
AUTHOR_SUFFIX = re.compile(
    r"\s*(?:[»:>|,-]|\ba\s+(?:dit|écrit)|\b(?:said|says|wrote|écrit|schrieb))\s*:?\s*$",
    re.IGNORECASE,
)
MAX_POSTS = 2_000


@dataclass(frozen=True)
class Post:
    """One message of a thread; `local_id` is `post-<engine id>` (or the post's own anchor),
    stable across crawls."""

    local_id: str
    author: str | None
    published: datetime | None
    text: str
    quoted_id: str | None  # local id of the post this one quotes first (None: none)
    nested_in: str | None = None  # local id of the post it is nested under (schema.org replies)
    quoted_author: str | None = None  # who the first quote names, when it names no post


@dataclass(frozen=True)
class Thread:
    engine: str
    title: str | None
    posts: list[Post]
    thread_url: str  # the thread's first page (its root)
    next_url: str | None  # the next page of the thread, when there is one
    noise: str = ""  # the engine's links not worth following (see `Engine.noise`)

    def worth_following(self, url: str) -> bool:
        """False for the engine's profile, action and single-post links."""
        return not (self.noise and re.search(self.noise, url))


def clean_author(value: str | None) -> str | None:
    """A display name without its byline words: "Par Jeanmi »" → "Jeanmi", "by X" → "X"."""
    if not value:
        return None
    name = " ".join(value.split())
    for _ in range(2):
        name = AUTHOR_PREFIX.sub("", name)
        name = AUTHOR_SUFFIX.sub("", name).strip()
    return name[:200] or None


def _cls(name: str) -> str:
    """XPath test: the element has the class token `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(element: Element, paths: tuple[str, ...]) -> Element | None:
    for path in paths:
        found = element.xpath(path)
        if found:
            return found[0]
    return None


def _words(element: Element | str | None) -> str:
    if element is None:
        return ""
    text = element if isinstance(element, str) else element.text_content()
    return " ".join(text.split())


def block_text(element: Element, drop: str = "") -> str:
    """The element's text, one line per block, without scripts, buttons or `drop` (XPath)."""
    clone = copy.deepcopy(element)
    doomed = clone.xpath(".//" + " | .//".join(NOISE_TAGS))
    if drop:
        doomed += clone.xpath(drop)
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()
    for node in clone.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "br":
            node.tail = "\n" + (node.tail or "")
        elif node.tag in BLOCK_TAGS:
            node.text = "\n" + (node.text or "")
            node.tail = "\n" + (node.tail or "")
    lines = (" ".join(line.split()) for line in clone.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _date(
    element: Element | None,
    lang: str | None = None,
    words: Callable[[Element], str] | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """A post's date: a machine-readable attribute, else the words after the byline's "»"
    (or what the engine's `words` reads), a relative date ("Today at 10:42") only against `now`."""
    if element is None:
        return None
    for attr in ("datetime", "content", "data-time", "data-timestamp", "title"):
        found = parse_datetime(element.get(attr))
        if found:
            return found
    text = words(element) if words else _words(element).rsplit("»", 1)[-1]
    return parse_datetime(text) or parse_text_date(text, lang) or parse_relative_date(text, now)


def _number(value: str | None, pattern: str) -> str | None:
    match = re.search(pattern, value or "")
    return match.group(1) if match else None


@dataclass(frozen=True)
class Engine:
    """How one forum engine prints a thread, as XPaths relative to the page or to a post."""

    name: str
    detect: str
    posts: tuple[str, ...]  # the first XPath that finds posts wins (newer markup first)
    post_id: Callable[[Element], str | None]
    authors: tuple[str, ...]
    dates: tuple[str, ...]
    body: tuple[str, ...]
    quotes: str  # quote blocks inside a body (cut from the text)
    quote_ref: Callable[[Element], str | None]
    quote_author: tuple[str, ...]  # who a quote names, relative to the quote (older markup)
    next_page: tuple[str, ...]
    page_part: Callable[[str], str]  # URL of a page → URL of the thread's first page
    drop: str = ""  # other parts of a body that are not the post (signatures, edit notes)
    noise: str = ""  # links not worth a fetch: profiles, actions, one post of a known thread
    title: tuple[str, ...] = ()
    date_words: Callable[[Element], str] | None = None  # a date element's words, when not plain
    quote_name: str = ""  # regex whose group 1 is the name in a quote's header, when it says more


def _without_query(*params: str) -> Callable[[str], str]:
    def strip(url: str) -> str:
        parts = urlsplit(url)
        pieces = [p for p in parts.query.split("&") if p]
        kept = [p for p in pieces if unquote_plus(p.split("=")[0]) not in params]
        return urlunsplit(parts._replace(query="&".join(kept)))

    return strip


def _without_path(pattern: str) -> Callable[[str], str]:
    def strip(url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=re.sub(pattern, "/", parts.path)))

    return strip


def _vbulletin4_first_page(url: str) -> str:
    """`showthread.php?18236-slug/page2` and `showthread.php?t=18236&page=2` → page 1."""
    parts = urlsplit(url)
    query = re.sub(r"/page\d+$", "", parts.query)
    return _without_query("page")(urlunsplit(parts._replace(query=query)))


def _attr_number(attr: str, pattern: str = r"(\d+)") -> Callable[[Element], str | None]:
    return lambda element: _number(element.get(attr), pattern)


def _link_number(paths: str, pattern: str) -> Callable[[Element], str | None]:
    def find(element: Element) -> str | None:
        for value in element.xpath(paths):
            found = _number(str(value), pattern)
            if found:
                return found
        return None

    return find


def _discourse_post_number(post: Element) -> str | None:
    """`post_12` in the crawler view; the `#12` position before 2021."""
    found = _number(post.get("id"), r"^post_(\d+)$")
    position = post.xpath(".//*[@itemprop='position']")
    return found or (_number(_words(position[0]), r"^#?(\d+)$") if position else None)


def _discourse_quote(quote: Element) -> str | None:
    """A quote's post number, when it quotes this topic (Discourse numbers posts per topic)."""
    topic = quote.get("data-topic")
    pages = quote.xpath(
        "//link[@rel='canonical']/@href | //link[@itemprop='mainEntityOfPage']/@href"
    )
    here = {_number(str(p), r"/t/[^/]+/(\d+)") for p in pages}
    if topic and topic not in here:
        return None
    return _number(quote.get("data-post"), r"^(\d+)$")


def _smf_first_page(url: str) -> str:
    """`index.php?topic=42.15` and `index.php/topic,42.15.html` → page 1 (`.0`)."""
    url = re.sub(r"([?&;]topic=\d+)\.\d+\b", r"\1.0", url)
    return re.sub(r"(/topic,\d+)\.\d+(\.html)", r"\1.0\2", url)


def _mybb_first_page(url: str) -> str:
    """`showthread.php?tid=42&page=2` and `thread-42-page-2.html` → page 1."""
    parts = urlsplit(_without_query("page")(url))
    return urlunsplit(parts._replace(path=re.sub(r"-page-\d+(\.html)$", r"\1", parts.path)))


def _smf_date_words(element: Element) -> str:
    """`« Reply #1 on: March 14, 2024, 10:42:15 AM »` (2.0) or the bare date (2.1)."""
    text = _words(element).replace("«", " ").replace("»", " ").strip()
    head = re.match(r"^[^:]*:\s", text)  # "Reply #1 on: ", "Réponse #1 le : " (times have no ": ")
    return text[head.end() :].strip() if head else text


def _mybb_date_words(element: Element) -> str:
    """`<span title="05-12-2024">Today</span>, 10:42 AM`: relative words carry the date in a
    title; the edit note printed inside the date is not the date."""
    clone = copy.deepcopy(element)
    for node in clone.xpath(f".//span[{_cls('post_edit')} or {_cls('edited_post')}]"):
        if node.getparent() is not None:
            node.drop_tree()
    for node in clone.xpath(".//span[@title]"):
        for child in list(node):
            node.remove(child)
        node.text = node.get("title")
    return _words(clone)


# Invision 4 (article.cPost) and 5 (article.ipsEntry): id="elComment_<n>" around the content
INVISION_POST = "//article[starts-with(@id, 'elComment_')][.//*[@data-role='commentContent']]"
# id="p123": "p" then digits only (blog themes print id="post-123" class="post")
PHPBB_POST_ID = (
    "starts-with(@id, 'p') and string-length(@id) > 1"
    " and translate(substring(@id, 2), '0123456789', '') = ''"
)
NEXT = ("//link[@rel='next']/@href", "//a[@rel='next']/@href")
# SMF quote headers: "Quote from: Claire_B on March 14, 2024, …" / "Citation de : Claire_B le …"
SMF_QUOTE_NAME = (
    r"^(?:quote\s+from|citation\s+de|citer)\s*:?\s*(.+?)"
    r"(?:\s+(?:on|le)\s+(?=.*(?:\d{4}|today|yesterday|aujourd|hier)).*)?$"
)
SMF_QUOTES = (
    f".//blockquote[{_cls('bbc_standard_quote')} or {_cls('bbc_alternate_quote')}]"
    f" | .//div[{_cls('quoteheader')} or {_cls('quotefooter')}]"  # 2.0: header outside the quote
)

ENGINES = (
    Engine(
        name="phpbb",
        detect=f"//body[@id='phpbb'] | //div[{_cls('post')}]//div[{_cls('postbody')}]",
        posts=(  # search results print posts of many topics the same way
            f"//div[{_cls('post')} and {PHPBB_POST_ID} and not({_cls('search')})]"
            f"[.//div[{_cls('postbody')}]]",
        ),
        post_id=_attr_number("id", r"^p(\d+)$"),
        authors=(
            f".//p[{_cls('author')}]//a[contains(@class, 'username')]",
            f".//dl[{_cls('postprofile')}]//a[contains(@class, 'username')]",
            f".//p[{_cls('author')}]//strong",
            f".//dl[{_cls('postprofile')}]//dt",
        ),
        dates=(f".//p[{_cls('author')}]//time", ".//time", f".//p[{_cls('author')}]"),
        body=(f".//div[{_cls('content')}]",),
        quotes=".//blockquote",
        quote_ref=_link_number(
            "@cite | .//cite//a/@href | .//cite//a/@data-post-id", r"(?:p=|#p|^)(\d+)\b"
        ),
        quote_author=(".//cite//a[contains(@href, 'memberlist')]", ".//cite/text()"),
        next_page=(
            f"//div[{_cls('pagination')}]//li[{_cls('next')}]/a/@href",
            *NEXT,
            f"//fieldset[{_cls('display-options')}]//a[{_cls('arrow-right')}]/@href",  # 3.0
        ),
        page_part=_without_query("start", "sid", "hilit"),
        noise=r"/(?:posting|memberlist|ucp|search|report|mcp|app)\.php|[?&](?:p=\d|view=print)",
        drop=(
            f".//div[{_cls('signature')} or {_cls('notice')}]"
            f" | .//dl[{_cls('attachbox')} or {_cls('file')} or {_cls('thumbnail')}]"
            f" | .//div[{_cls('codebox')}]/p"  # "Code : Tout sélectionner"
        ),
        title=("//h2[contains(@class, 'topic-title')]", "//h2"),
    ),
    Engine(
        name="discourse",
        detect=(
            "//meta[@name='generator'][starts-with(@content, 'Discourse')]"
            f" | //div[{_cls('crawler-post')}]"
        ),
        posts=(
            f"//div[{_cls('crawler-post')} and starts-with(@id, 'post_')]",
            # before 2021 each post was its own DiscussionForumPosting
            "//div[contains(@itemtype, 'DiscussionForumPosting')][.//*[@itemprop='articleBody']]",
        ),
        post_id=_discourse_post_number,
        authors=(
            ".//*[@itemprop='author']//*[@itemprop='name']",
            f".//*[{_cls('creator')}]//a",
        ),
        dates=(".//time[@datetime]", ".//meta[@itemprop='datePublished']"),
        body=(
            ".//div[@itemprop='text']",
            ".//div[@itemprop='articleBody']",
            f".//div[{_cls('post')}]",
        ),
        quotes=f".//aside[{_cls('quote')}]",
        quote_ref=_discourse_quote,
        quote_author=("@data-username",),
        next_page=NEXT,
        page_part=_without_query("page"),
        noise=r"/(?:u|users|badges|login|signup|my|session|auth)(?:/|$)|/t/[^/]+/\d+/\d+$",
        drop=(
            f".//aside[{_cls('onebox')}]"  # link previews
            f" | .//div[{_cls('lightbox-wrapper')}]//div[{_cls('meta')}]"  # "image 1920×1080 …"
        ),
        title=("//div[@id='topic-title']//h1", "//h1"),
    ),
    Engine(
        name="vbulletin4",
        detect=(
            "//meta[@name='generator'][starts-with(@content, 'vBulletin 3')"
            " or starts-with(@content, 'vBulletin 4')]"
            f" | //li[{_cls('postcontainer')}][starts-with(@id, 'post_')]"
        ),
        posts=(
            f"//li[{_cls('postcontainer')}][starts-with(@id, 'post_')]",
            "//table[starts-with(@id, 'post')][.//div[starts-with(@id, 'post_message_')]]",  # 3
        ),
        post_id=_attr_number("id", r"^post_?(\d+)$"),
        authors=(
            f".//*[{_cls('username_container')}]//a[contains(@class, 'username')]",
            f".//a[{_cls('bigusername')}]",
        ),
        dates=(f".//*[{_cls('postdate')}]//*[{_cls('date')}]",),
        body=(".//div[starts-with(@id, 'post_message_')]",),
        quotes=f".//div[{_cls('bbcode_container')}]",
        quote_ref=_link_number(
            f".//*[{_cls('bbcode_postedby')}]//a/@href", r"(?:[?&]p=|#post)(\d+)"
        ),
        quote_author=(f".//*[{_cls('bbcode_postedby')}]//strong",),
        next_page=(*NEXT, f"//*[{_cls('prev_next')}]/a[@rel='next']/@href"),
        page_part=_vbulletin4_first_page,
        noise=(
            r"/(?:member|newreply|private|sendmessage|register|login|search|misc|report)\.php"
            r"|[?&]p=\d"
        ),
        title=(f"//*[{_cls('threadtitle')}]", "//h1"),
    ),
    Engine(
        name="vbulletin",
        detect=(
            "//meta[@name='generator'][starts-with(@content, 'vBulletin 5')]"
            f" | //li[{_cls('b-post')}][@data-node-id]"
        ),
        posts=(f"//li[{_cls('b-post')}][@data-node-id]",),
        post_id=_attr_number("data-node-id"),
        authors=(
            f".//*[{_cls('b-userinfo')}]//*[@itemprop='name']",
            f".//*[{_cls('author')}]//a",
        ),
        dates=(f".//*[{_cls('b-post__timestamp')}]//time", ".//time"),
        body=(f".//*[{_cls('js-post__content-text')}]", ".//*[@itemprop='text']"),
        quotes=f".//div[{_cls('bbcode_container')}]",
        quote_ref=_link_number(
            f".//*[{_cls('bbcode_postedby')}]//a/@href", r"(?:[?&]p=|#post)(\d+)"
        ),
        quote_author=(f".//*[{_cls('bbcode_postedby')}]//strong",),
        next_page=(f"//a[{_cls('js-pagenav-next-button')}]/@href", *NEXT),
        page_part=_without_path(r"/page\d+/?$"),
        noise=r"/(?:member|login|register|lostpw|privatemessage)(?:/|$)|[?&]p=\d",
        drop=f".//div[{_cls('b-post__signature')} or {_cls('b-post__edit')}]",
        title=(f"//h1[{_cls('main-title')}]", "//h1"),
    ),
    Engine(
        name="xenforo",
        detect=("//html[@id='XF'] | //meta[@name='generator'][starts-with(@content, 'XenForo')]"),
        posts=(f"//article[{_cls('message--post')}][@data-content]",),
        post_id=_attr_number("data-content", r"^post-(\d+)$"),
        authors=("@data-author", f".//*[{_cls('message-name')}]//a", ".//*[@itemprop='name']"),
        dates=(f".//*[{_cls('message-attribution')}]//time", ".//time"),
        body=(f".//div[{_cls('bbWrapper')}]",),
        quotes=f".//blockquote[{_cls('bbCodeBlock--quote')} or @data-source]",
        quote_ref=_attr_number("data-source", r"post:\s*(\d+)"),
        quote_author=("@data-quote", f".//*[{_cls('bbCodeBlock-title')}]"),
        next_page=(f"//a[{_cls('pageNav-jump--next')}]/@href", *NEXT),
        page_part=_without_path(r"/page-\d+/?$"),
        noise=(
            r"/(?:members|login|register|lost-password|goto|posts|search|account|conversations)"
            r"(?:/|$)|/threads/[^/]+/(?:post-\d+|reply|unread|latest)"
        ),
        drop=(
            f".//div[{_cls('message-lastEdit')}]"
            f" | .//div[{_cls('bbCodeBlock--unfurl')}]"  # link previews
            f" | .//div[{_cls('bbCodeBlock-title')}]"
        ),
        title=(f"//h1[{_cls('p-title-value')}]", "//h1"),
    ),
    Engine(
        name="invision",
        detect=(f"//body[@data-pageapp='forums'][@data-pagecontroller='topic'] | {INVISION_POST}"),
        posts=(INVISION_POST,),
        post_id=_attr_number("id", r"^elComment_(\d+)$"),
        authors=(
            f".//*[{_cls('cAuthorPane_author')}]//a",
            f".//*[{_cls('cAuthorPane_author')}]",
            ".//*[contains(@class, 'ipsEntry__username')]//a",  # Invision 5
            ".//*[contains(@class, 'ipsEntry__username')]",
        ),
        dates=(f".//*[{_cls('ipsComment_meta')}]//time", ".//time"),
        body=(".//*[@data-role='commentContent']",),
        quotes=f".//blockquote[{_cls('ipsQuote')}]",
        quote_ref=_attr_number("data-ipsquote-contentcommentid"),
        quote_author=("@data-ipsquote-username", f".//*[{_cls('ipsQuote_citation')}]"),
        next_page=(f"//li[{_cls('ipsPagination_next')}]/a/@href", *NEXT),
        page_part=_without_path(r"/page/\d+/?$"),
        noise=r"/(?:profile|login|register|lostpassword|messenger)(?:/|$)|[?&](?:do|tab)=",
        drop=f".//*[{_cls('ipsComment_edited')}] | .//*[@data-excludequote]",
        title=(
            f"//h1[{_cls('ipsType_pageTitle')}]",
            "//h1[contains(@class, 'ipsPageHeader__title')]",
            "//h1",
        ),
    ),
    Engine(
        name="smf",
        detect=f"//div[@id='forumposts']//div[{_cls('post_wrapper')}]",
        posts=(f"//div[@id='forumposts']//div[{_cls('post_wrapper')}][.//div[{_cls('inner')}]]",),
        post_id=_link_number(
            f".//div[{_cls('inner')}]/@id | .//div[{_cls('inner')}]/@data-msgid",
            r"^(?:msg_)?(\d+)$",
        ),
        authors=(f".//div[{_cls('poster')}]/h4//a", f".//div[{_cls('poster')}]/h4"),
        dates=(
            f".//div[{_cls('postinfo')}]/a[{_cls('smalltext')}]",  # 2.1
            f".//div[{_cls('keyinfo')}]/div[{_cls('smalltext')}]",  # 2.0
        ),
        date_words=_smf_date_words,
        body=(f".//div[{_cls('inner')}]",),
        quotes=SMF_QUOTES,
        quote_ref=_link_number(
            f"./cite//a/@href | self::div[{_cls('quoteheader')}]//a/@href",
            r"(?:[.#]msg|[?&;]msg=)(\d+)",
        ),
        quote_author=("./cite", f"self::div[{_cls('quoteheader')}]"),
        quote_name=SMF_QUOTE_NAME,
        next_page=(
            f"//div[{_cls('pagelinks')}]//span[{_cls('current_page')}]"
            "/following-sibling::a[1]/@href",  # 2.1
            f"//div[{_cls('pagelinks')}]//strong/following-sibling::a[1]/@href",  # 2.0
            "//a[@rel='next']/@href",
            # 2.0 prints <link rel="next"> to the board's next *topic* (prev_next=next)
            "//link[@rel='next'][not(contains(@href, 'prev_next'))]/@href",
        ),
        page_part=_smf_first_page,
        noise=r"(?:[?&;]|%3[Bb])action=|prev_next|\.msg\d+|(?:[?&;]|%3[Bb])msg=\d",
        drop=f".//div[{_cls('signature')} or {_cls('modified')} or {_cls('attachments')}]",
        title=(
            "//span[@id='top_subject']",  # 2.1
            f"//div[{_cls('navigate_section')}]//li[{_cls('last')}]//span",  # 2.0
        ),
    ),
    Engine(
        name="mybb",
        detect=f"//div[@id='posts']//div[{_cls('post')}][starts-with(@id, 'post_')]",
        posts=(
            f"//div[@id='posts']//div[{_cls('post')}][starts-with(@id, 'post_')]"
            f"[.//div[{_cls('post_body')}]]",
        ),
        post_id=_attr_number("id", r"^post_(\d+)$"),
        authors=(
            f".//div[{_cls('author_information')}]//strong//a",
            f".//div[{_cls('author_information')}]//strong",
        ),
        dates=(f".//span[{_cls('post_date')}]",),
        date_words=_mybb_date_words,
        body=(f".//div[{_cls('post_body')}]",),
        quotes=f".//blockquote[{_cls('mycode_quote')}]",
        quote_ref=_link_number("./cite//a/@href", r"(?:[?&]pid=|#pid|-post-)(\d+)"),
        quote_author=("./cite/text()",),  # "Claire_B Wrote:" after the quoted post's date
        next_page=(f"//a[{_cls('pagination_next')}]/@href", *NEXT),
        page_part=_mybb_first_page,
        noise=(
            r"/(?:member|private|usercp|newreply|newthread|search|report|misc|editpost|reputation"
            r"|sendthread|printthread|online|memberlist|moderation|warnings)\.php"
            r"|[?&](?:pid|action|mode)=|-post-\d+\.html|/user-\d+|/archive/index\.php"
        ),
        drop=f".//div[{_cls('signature')} or {_cls('post_meta')}]",
        title=(
            f"//div[{_cls('navigation')}]//span[{_cls('active')}]",
            f"//td[{_cls('thead')}]/div[not(@class)]/strong",
        ),
    ),
    Engine(
        name="fluxbb",  # and PunBB 1.2, its parent (same templates)
        detect="//div[@id='punviewtopic']",
        posts=(
            f"//div[@id='punviewtopic']//div[{_cls('blockpost')} and {PHPBB_POST_ID}]"
            f"[.//div[{_cls('postmsg')}]]",
        ),
        post_id=_attr_number("id", r"^p(\d+)$"),
        authors=(f".//div[{_cls('postleft')}]//dt//strong", f".//div[{_cls('postleft')}]//dt"),
        dates=("./h2//a", "./h2"),
        body=(f".//div[{_cls('postmsg')} and not({_cls('postsignature')})]",),
        quotes=f".//div[{_cls('quotebox')}] | .//blockquote[div[{_cls('incqbox')}]]",
        quote_ref=_link_number("./cite//a/@href | .//h4//a/@href", r"[?&]pid=(\d+)"),
        quote_author=("./cite", ".//h4"),  # "Claire_B a écrit :", "Claire_B wrote:"
        next_page=(
            *NEXT,
            f"//p[{_cls('pagelink')}]/strong/following-sibling::a[1]/@href",  # PunBB 1.2
        ),
        page_part=_without_query("p"),
        noise=(
            r"/(?:profile|post|edit|delete|misc|login|register|search|userlist|moderate|help)\.php"
            r"|[?&](?:pid|action)="
        ),
        drop=f".//p[{_cls('postedit')}] | .//div[{_cls('postsignature')}]",
        title=(
            f"//ul[{_cls('crumbs')}]/li[last()]//strong",
            f"//div[{_cls('linkst')}]//ul/li[last()]/strong",
        ),
    ),
)


def detect_engine(root: Element) -> Engine | None:
    """The forum engine whose markup the page carries, if any."""
    return next((e for e in ENGINES if root.xpath(e.detect)), None)


def _engine_post(
    engine: Engine, element: Element, position: int, lang: str | None, now: datetime | None
) -> Post | None:
    number = engine.post_id(element)
    body = _first(element, engine.body)
    if body is None:
        return None
    quoted, quoted_author = None, None
    quotes = body.xpath(engine.quotes)
    for quote in quotes:
        ref = engine.quote_ref(quote)
        if ref:
            quoted = f"post-{ref}"
            break
    if quoted is None and quotes:
        name = _first_text(quotes[0], engine.quote_author)
        if name and engine.quote_name:
            named = re.search(engine.quote_name, name, re.IGNORECASE)
            name = named.group(1) if named else None
        quoted_author = clean_author(name)
    drop = " | ".join(p for p in (engine.quotes, engine.drop) if p)
    author = None
    for path in engine.authors:
        found = element.xpath(path)
        if found:
            author = clean_author(found[0] if isinstance(found[0], str) else _words(found[0]))
            if author:
                break
    published = None
    for path in engine.dates:
        published = _date(_first(element, (path,)), lang, engine.date_words, now)
        if published:
            break
    return Post(
        local_id=f"post-{number}" if number else f"post-n{position}",
        author=author,
        published=published,
        text=block_text(body, drop),
        quoted_id=quoted,
        quoted_author=quoted_author,
    )


def _first_text(element: Element, paths: tuple[str, ...]) -> str | None:
    for path in paths:
        for found in element.xpath(path):
            text = _words(found)
            if text:
                return text
    return None


def _by_quoted_author(posts: list[Post]) -> list[Post]:
    """A quote that names only its author points at that author's latest earlier post."""
    resolved: list[Post] = []
    for post in posts:
        if post.quoted_id is None and post.quoted_author:
            name = post.quoted_author.casefold()
            earlier = [p for p in resolved if (p.author or "").casefold() == name]
            if earlier:
                post = replace(post, quoted_id=earlier[-1].local_id)
        resolved.append(post)
    return resolved


def _next(root: Element, paths: tuple[str, ...], base: str) -> str | None:
    for path in paths:
        for href in root.xpath(path):
            found = canonical_url(str(href), base)
            if found and found != canonical_url(base):
                return found
    return None


def _engine_thread(
    engine: Engine, root: Element, url: str, now: datetime | None = None
) -> Thread | None:
    posts = []
    lang = (root.get("lang") or "").split("-")[0].lower() or None
    elements: list[Element] = next(
        (found for path in engine.posts if (found := root.xpath(path))), []
    )
    for position, element in enumerate(elements[:MAX_POSTS]):
        post = _engine_post(engine, element, position, lang, now)
        if post is not None and post.text:
            posts.append(post)
    if not posts:
        return None
    title = _words(_first(root, engine.title)) or None
    return Thread(
        engine=engine.name,
        title=title,
        posts=_by_quoted_author(_unique(posts)),
        thread_url=canonical_url(engine.page_part(url)) or url,
        next_url=_next(root, engine.next_page, url),
        noise=engine.noise,
    )


def _unique(posts: list[Post]) -> list[Post]:
    seen: set[str] = set()
    kept = []
    for post in posts:
        if post.local_id not in seen:
            seen.add(post.local_id)
            kept.append(post)
    return kept


# -- schema.org DiscussionForumPosting (microdata, then JSON-LD) ----------------------------------
SCHEMA_POSTING = "contains(@itemtype, 'DiscussionForumPosting')"
SCHEMA_COMMENT = "(contains(@itemtype, 'schema.org/Comment') or @itemprop='comment')"


def _own(element: Element, path: str, items: set) -> Element | None:
    """First match of `path` under `element` that is not inside a nested post."""
    for found in element.xpath(path):
        ancestor = found.getparent()
        while ancestor is not None and ancestor is not element and ancestor not in items:
            ancestor = ancestor.getparent()
        if ancestor is element:
            return found
    return None


def _microdata_post(element: Element, position: int, items: set, nested_in: str | None) -> Post:
    author = _own(element, ".//*[@itemprop='author']", items)
    if author is not None:
        name = author.xpath(".//*[@itemprop='name']")
        author_name = (name[0].get("content") or _words(name[0])) if name else _words(author)
    else:
        author_name = None
    date = _own(element, ".//*[@itemprop='datePublished' or @itemprop='dateCreated']", items)
    body = _own(element, ".//*[@itemprop='text' or @itemprop='articleBody']", items)
    local = element.get("id") or _number(element.get("itemid"), r"#(.+)$")
    return Post(
        local_id=local or f"post-n{position}",
        author=clean_author(author_name),
        published=_date(date),
        text=block_text(body) if body is not None else "",
        quoted_id=None,
        nested_in=nested_in,
    )


def _microdata_thread(root: Element, url: str) -> Thread | None:
    postings = root.xpath(f"//*[{SCHEMA_POSTING}]")
    found = set(postings)
    tops = [p for p in postings if not any(a in found for a in p.iterancestors())]
    if not tops:
        return None
    opener = tops[0]  # later top-level postings: replies printed as postings of their own
    in_order = root.xpath(f"//*[{SCHEMA_POSTING}] | //*[{SCHEMA_COMMENT} and @itemscope]")
    top_set = set(tops)
    replies = [
        e
        for e in in_order
        if e is not opener and (e in top_set or any(a in top_set for a in e.iterancestors()))
    ]
    items = {opener, *replies}
    local: dict[Element, str] = {}
    posts = [_microdata_post(opener, 0, items, None)]
    local[opener] = posts[0].local_id
    for position, element in enumerate(replies, start=1):
        ancestor = element.getparent()
        while ancestor is not None and ancestor not in items:
            ancestor = ancestor.getparent()
        post = _microdata_post(element, position, items, local.get(ancestor))
        local[element] = post.local_id
        posts.append(post)
    headline = opener.xpath(".//*[@itemprop='headline']")
    title = (headline[0].get("content") or _words(headline[0])) if headline else None
    return _schema_thread(posts, title, root, url)


def _schema_thread(posts: list[Post], title: str | None, root: Element, url: str) -> Thread | None:
    posts = [p for p in _unique(posts) if p.text]
    if not posts:
        return None
    return Thread(
        engine="schema.org",
        title=title,
        posts=posts,
        thread_url=canonical_url(_without_query("page")(url)) or url,
        next_url=_next(root, NEXT, url),
    )


def _ld_name(value: object) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _ld_posts(obj: dict, parent: str | None, posts: list[Post]) -> None:
    position = len(posts)
    ref = obj.get("url") or obj.get("@id") or ""
    local = _number(ref if isinstance(ref, str) else "", r"#(.+)$")
    post = Post(
        local_id=local or f"post-n{position}",
        author=clean_author(_ld_name(obj.get("author"))),
        published=parse_datetime(str(obj.get("datePublished") or obj.get("dateCreated") or "")),
        text=" ".join(str(obj.get("text") or obj.get("articleBody") or "").split()),
        quoted_id=None,
        nested_in=parent,
    )
    posts.append(post)
    children = obj.get("comment") or []
    for child in children if isinstance(children, list) else [children]:
        if isinstance(child, dict) and len(posts) < MAX_POSTS:
            _ld_posts(child, post.local_id, posts)


def _json_ld_thread(root: Element, url: str) -> Thread | None:
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if "DiscussionForumPosting" in kinds:
                    posts: list[Post] = []
                    _ld_posts(item, None, posts)
                    return _schema_thread(posts, _ld_name(item.get("headline")), root, url)
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def extract_thread(root: Element, url: str, fetched_at: datetime | None = None) -> Thread | None:
    """The page's forum thread, or None when the page is not one (or its posts cannot be read).

    `url` is the page's canonical URL. Engine markup wins over schema.org markup; a page whose
    engine is recognised but whose posts cannot be read is left to the article extractor.
    Relative dates ("Today at 10:42", "Hier à 21:15") are read against `fetched_at`, when given.
    """
    engine = detect_engine(root)
    if engine is not None:
        thread = _engine_thread(engine, root, url, fetched_at)
        if thread is not None:
            return thread
        log.info("%s looks like a %s page but has no readable post", url, engine.name)
    if root.xpath(f"//*[{SCHEMA_POSTING}]//*[@itemprop='text' or @itemprop='articleBody']"):
        return _microdata_thread(root, url)
    return _json_ld_thread(root, url)
