"""The demo world as plain, frozen dataclasses: what is published, and the truth behind it.

Everything a test or an analyst may want to check is keyed by a natural key the warehouse also
holds: a web page path (`/articles/<slug>.html`), a comment's HTML id (`comment-<n>`, unique
site-wide) or a Hacker News objectID.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal, TypeVar

Polarity = Literal["positive", "negative", "neutral"]
PostKind = Literal["article", "comment", "story", "reply"]
AuthorKind = Literal["creator", "contributor", "opportunist", "observer"]


@dataclass(frozen=True)
class Author:
    """A person posting in the world; `sources` says where they post ("web", "hackernews")."""

    handle: str
    kind: AuthorKind
    lang: str
    sources: tuple[str, ...]
    advocate: bool = False
    detractor: bool = False


@dataclass(frozen=True)
class Comment:
    """A comment on a web page; replies are nested (parentage is structural, as in the HTML)."""

    local_id: str
    author: str
    published_at: datetime
    lang: str
    text: str
    replies: tuple[Comment, ...] = ()

    def walk(self) -> list[Comment]:
        """This comment then all its descendants, depth first in display order."""
        found = [self]
        for reply in self.replies:
            found.extend(reply.walk())
        return found


@dataclass(frozen=True)
class Article:
    """A news article on the demo site with its comment thread."""

    slug: str
    title: str
    author: str
    published_at: datetime
    lang: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    comments: tuple[Comment, ...] = ()

    @property
    def path(self) -> str:
        return f"/articles/{self.slug}.html"

    def all_comments(self) -> list[Comment]:
        return [c for top in self.comments for c in top.walk()]

    @property
    def last_modified(self) -> datetime:
        """Latest change of the page: publication or its newest comment."""
        return max([self.published_at, *(c.published_at for c in self.all_comments())])


@dataclass(frozen=True)
class SyndicatedCopy(Article):
    """An article republished by a partner site section: same body, other title, no canonical."""

    original_slug: str = ""

    @property
    def path(self) -> str:
        return f"/partenaires/{self.slug}.html"


@dataclass(frozen=True)
class HNItem:
    """A Hacker News story or comment as the Algolia API describes it (text is plain here)."""

    object_id: str
    item_type: Literal["story", "comment"]
    author: str
    created_at: datetime
    story_id: str
    parent_id: str | None = None
    title: str | None = None
    url: str | None = None
    text: str | None = None
    points: int | None = None
    num_comments: int | None = None


@dataclass(frozen=True)
class Incident:
    """A period where one brand's customers were angry (an outage)."""

    brand: str
    first_day: date
    last_day: date
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class PostTruth:
    """What a post really says. `key`: page path, `comment-<n>` or HN objectID.

    `brands` maps each brand the post really talks about to its polarity towards it; homonym and
    generic posts have none. `page` is the page path of web posts (for comments: their page).
    """

    key: str
    source: Literal["web", "hackernews"]
    kind: PostKind
    author: str
    lang: str
    published_at: datetime
    brands: dict[str, Polarity] = field(default_factory=dict)
    page: str | None = None
    homonym: bool = False
    spam: bool = False
    incident: bool = False
    syndicated_from: str | None = None
    official: bool = False

    def mention_id(self, base_url: str) -> str:
        """The warehouse's `mention_id` for this post when the site is served at `base_url`."""
        if self.source == "hackernews":
            return f"hn:{self.key}"
        if self.kind in ("comment", "reply") and self.page:
            return f"web:{base_url}{self.page}#{self.key}"
        return f"web:{base_url}{self.key}"


@dataclass(frozen=True)
class RequestTruth:
    """A customer asking or complaining to a brand in a page's thread, and its first answer.

    `page`: the thread (page path); `opened_by`: the first request's key (the article's path or
    `comment-<n>`); `answer`: the official reply's `comment-<n>`, None when never answered.
    """

    page: str
    brand: str
    opened_by: str
    opened_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None

    @property
    def response_hours(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.opened_at).total_seconds() / 3600


@dataclass(frozen=True)
class Truth:
    """The answers: who is who, what happened when, which posts are copies, noise or spam, and
    which customer requests the brands' official accounts answered, how fast."""

    authors: dict[str, Author]
    incident: Incident
    syndicated: dict[str, tuple[str, ...]]
    posts: dict[str, PostTruth]
    official_accounts: dict[str, str] = field(default_factory=dict)
    requests: tuple[RequestTruth, ...] = ()

    @property
    def homonym_posts(self) -> list[str]:
        return [k for k, p in self.posts.items() if p.homonym]


@dataclass(frozen=True)
class World:
    """A generated market: the site's articles and copies, the HN items, the authors, the truth."""

    seed: int
    start: date
    days: int
    articles: tuple[Article, ...]
    copies: tuple[SyndicatedCopy, ...]
    hn_items: tuple[HNItem, ...]
    truth: Truth

    @property
    def authors(self) -> dict[str, Author]:
        return self.truth.authors

    @property
    def end(self) -> datetime:
        """The latest posting time in the world."""
        return max(p.published_at for p in self.truth.posts.values())

    def texts(self) -> dict[str, str]:
        """Every post's published words by truth key (title and body for articles and stories)."""
        found: dict[str, str] = {}
        for page in (*self.articles, *self.copies):
            found[page.path] = "\n\n".join([page.title, *page.paragraphs])
            for comment in page.all_comments():
                found[comment.local_id] = comment.text
        for item in self.hn_items:
            found[item.object_id] = "\n\n".join(filter(None, [item.title, item.text]))
        return found

    def truncated(self, as_of: datetime) -> World:
        """The world as it looked at `as_of`: only what was posted by then (comments, stories
        and their counters included)."""
        articles = tuple(_prune_article(a, as_of) for a in self.articles if a.published_at <= as_of)
        copies = tuple(_prune_article(c, as_of) for c in self.copies if c.published_at <= as_of)
        items = [i for i in self.hn_items if i.created_at <= as_of]
        children: dict[str, int] = {}
        for item in items:
            if item.item_type == "comment":
                children[item.story_id] = children.get(item.story_id, 0) + 1
        items = [
            replace(i, num_comments=children.get(i.object_id, 0)) if i.item_type == "story" else i
            for i in items
        ]
        posts = {k: p for k, p in self.truth.posts.items() if p.published_at <= as_of}
        visible_pages = {a.path for a in (*articles, *copies)}
        syndicated = {
            original: tuple(c for c in group if c in visible_pages)
            for original, group in self.truth.syndicated.items()
            if original in visible_pages
        }
        requests = tuple(
            r
            if r.answered_at is None or r.answered_at <= as_of
            else replace(r, answer=None, answered_at=None)
            for r in self.truth.requests
            if r.opened_at <= as_of
        )
        truth = replace(
            self.truth,
            posts=posts,
            syndicated={k: v for k, v in syndicated.items() if v},
            requests=requests,
        )
        return replace(self, articles=articles, copies=copies, hn_items=tuple(items), truth=truth)


def _prune_comments(comments: tuple[Comment, ...], as_of: datetime) -> tuple[Comment, ...]:
    return tuple(
        replace(c, replies=_prune_comments(c.replies, as_of))
        for c in comments
        if c.published_at <= as_of
    )


_A = TypeVar("_A", bound=Article)


def _prune_article(article: _A, as_of: datetime) -> _A:
    return replace(article, comments=_prune_comments(article.comments, as_of))
