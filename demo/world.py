"""`generate_world`: the seeded fictional telecom market behind the bundled demo.

Pure and deterministic: the same arguments give the same world (one `random.Random(seed)`, no
clock, no set iteration). The generator first lays out *who posts when and in reply to whom*
(threads on the web site and on Hacker News), then decides *what each post really says* (brands,
polarity, noise, spam, the incident) and records it in `World.truth`, then lets `compose` write
the words.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from demo import compose, official
from demo.authors import OBSERVER_QUOTA, author_count, make_authors
from demo.model import (
    Article,
    Author,
    Comment,
    HNItem,
    Incident,
    Polarity,
    PostKind,
    PostTruth,
    RequestTruth,
    SyndicatedCopy,
    Truth,
    World,
)

ARTICLE_SHARE = 0.08
SYNDICATED_SHARE = 0.01
HN_SHARE = 0.30
HN_STORY_SHARE = 0.18
HOMONYM_SHARE = {"web": 0.03, "hackernews": 0.06}
SPAM_PROBABILITY = 0.75
GENERIC_SHARE = 0.05
CONTRAST_SHARE = 0.08
MAX_DEPTH = 3
INCIDENT_KEYWORDS = ("panne", "coupure", "plus de réseau", "outage", "down")
INCIDENT_VOLUME = 3.0
FIRST_HN_ID = 45_000_000
# posting hour weights (UTC), quiet at night
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 7, 8, 8, 7, 7, 7, 8, 9, 9, 8, 6, 4, 2]
# how much each kind of author attracts replies / writes comments
DRAW = {"creator": 3.0, "contributor": 2.0, "opportunist": 0.3, "observer": 1.0}
ACTIVITY = {"creator": 2.0, "contributor": 6.0, "opportunist": 0.6}
OBSERVER_PICK = 0.18


class _Clock:
    """Days, hours and reply delays, with more activity during the incident."""

    def __init__(self, start: date, days: int, incident: Incident) -> None:
        self.start = datetime.combine(start, time(), UTC)
        self.end = self.start + timedelta(days=days) - timedelta(seconds=1)
        self.incident = incident
        self.day_weights = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            weight = 0.75 if day.weekday() >= 5 else 1.0
            if incident.first_day <= day <= incident.last_day:
                weight *= INCIDENT_VOLUME
            self.day_weights.append(weight)

    def root_time(self, rng: random.Random) -> datetime:
        day = rng.choices(range(len(self.day_weights)), weights=self.day_weights)[0]
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        return self.start + timedelta(days=day, hours=hour, seconds=rng.randrange(3600))

    def incident_time(self, rng: random.Random) -> datetime:
        base = datetime.combine(self.incident.first_day, time(7), UTC)
        return base + timedelta(seconds=rng.randrange(3 * 3600))

    def after(self, rng: random.Random, parent: datetime, mean_hours: float) -> datetime:
        """A reply time: an exponential delay after `parent`, kept inside the world."""
        delay = timedelta(seconds=60 + int(rng.expovariate(1 / (mean_hours * 3600))))
        at = parent + delay
        if at > self.end:
            at = parent + timedelta(seconds=int((self.end - parent).total_seconds() * rng.random()))
        return at

    def in_incident(self, at: datetime) -> bool:
        return self.incident.first_day <= at.date() <= self.incident.last_day


class _Picker:
    """Chooses who writes a post on one source: observers post once or twice, others often."""

    def __init__(
        self, rng: random.Random, authors: list[Author], source: str, quota: dict[str, int]
    ) -> None:
        self.rng = rng
        here = [a for a in authors if source in a.sources]
        self.active = [a for a in here if a.kind != "observer"] or here
        self.weights = [ACTIVITY.get(a.kind, 1.0) for a in self.active]
        self.quota = quota  # shared by the sources: an observer posts once or twice in all
        self.observers = [a for a in here if a.kind == "observer" and quota[a.handle] > 0]

    def pick(self, avoid: str | None = None) -> Author:
        self.observers = [a for a in self.observers if self.quota[a.handle] > 0]
        if self.observers and self.rng.random() < OBSERVER_PICK:
            author = self.rng.choice(self.observers)
            self.quota[author.handle] -= 1
            return author
        for _ in range(5):
            author = self.rng.choices(self.active, weights=self.weights)[0]
            if author.handle != avoid:
                return author
        return author

    def starter(self) -> Author:
        """Someone (not an observer) who starts a thread now and then."""
        return self.rng.choices(self.active, weights=self.weights)[0]

    def creator(self) -> Author:
        pool = [a for a in self.active if a.kind == "creator"] or self.active
        return self.rng.choice(pool)


@dataclass
class _Slot:
    """A post in a thread while the world is laid out (mutable until frozen into the model)."""

    parent: int | None
    depth: int
    author: Author
    at: datetime
    lang: str = ""
    text: str = ""
    truth: dict[str, Polarity] = field(default_factory=dict)
    homonym: bool = False
    spam: bool = False
    incident: bool = False


def _remapped(index: int | None, remap: dict[int, int]) -> int | None:
    return None if index is None else remap[index]


def _grow_thread(
    rng: random.Random, clock: _Clock, picker: _Picker, root: _Slot, size: int
) -> list[_Slot]:
    """`size` replies under `root`, nested up to MAX_DEPTH; engaging authors draw more replies."""
    slots: list[_Slot] = []
    for _ in range(size):
        open_slots = [i for i, s in enumerate(slots) if s.depth < MAX_DEPTH]
        if not open_slots or rng.random() < 0.45:
            author = picker.pick(avoid=root.author.handle)
            slots.append(_Slot(None, 1, author, clock.after(rng, root.at, 8)))
            continue
        weights = [
            DRAW[slots[i].author.kind] * (4 if slots[i].author.advocate else 1) for i in open_slots
        ]
        parent = rng.choices(open_slots, weights=weights)[0]
        author = picker.pick(avoid=slots[parent].author.handle)
        at = clock.after(rng, slots[parent].at, 4)
        slots.append(_Slot(parent, slots[parent].depth + 1, author, at))
    order = sorted(range(len(slots)), key=lambda i: (slots[i].at, i))
    # a reply cannot precede its parent: times are drawn after the parent's, so sorting is safe
    remap = {old: new for new, old in enumerate(order)}
    return [
        _Slot(
            _remapped(slots[old].parent, remap),
            slots[old].depth,
            slots[old].author,
            slots[old].at,
        )
        for old in order
    ]


class _Writer:
    """Decides what each post really says and has `compose` write it."""

    def __init__(self, rng: random.Random, clock: _Clock) -> None:
        self.rng = rng
        self.clock = clock
        self.own = compose.own_brand()
        specs = compose.phrases()["brands"]
        self.brands = list(specs)
        self.brand_weights = [specs[b]["weight"] for b in self.brands]
        self.spam: dict[str, list[tuple[str, str]]] = {}

    def brand(self) -> str:
        return self.rng.choices(self.brands, weights=self.brand_weights)[0]

    def polarity(self, brand: str, author: Author, at: datetime) -> Polarity:
        rng = self.rng
        if brand == self.own and author.advocate and rng.random() < 0.9:
            return "positive"
        if brand == self.own and author.detractor and rng.random() < 0.9:
            return "negative"
        if brand == self.clock.incident.brand and self.clock.in_incident(at):
            return "negative" if rng.random() < 0.85 else "neutral"
        shares = (0.42, 0.36, 0.22) if brand == self.own else (0.33, 0.34, 0.33)
        labels: list[Polarity] = ["positive", "neutral", "negative"]
        return rng.choices(labels, weights=shares)[0]

    def _spam_for(self, author: Author, lang: str) -> tuple[str, str]:
        """(text, brand): each opportunist pastes the same one or two promos everywhere."""
        key = f"{author.handle}/{lang}"
        if key not in self.spam:
            rng = self.rng
            ref = f"{author.handle.replace('_', '')}{rng.randrange(100, 999)}"
            code = f"PROMO{rng.randrange(10, 99)}"
            promos = []
            for _ in range(rng.randint(1, 2)):
                brand = self.brand()
                promos.append((compose.spam_text(rng, lang, brand, ref, code), brand))
            self.spam[key] = promos
        return self.rng.choice(self.spam[key])

    def write(
        self,
        slot: _Slot,
        lang: str,
        source: str,
        topic_brand: str | None,
        reply_to: str | None = None,
    ) -> None:
        """Fill `slot` with a post: spam, homonym noise, or real talk about 0–2 brands."""
        rng, author = self.rng, slot.author
        if author.kind == "opportunist" and rng.random() < SPAM_PROBABILITY:
            slot.text, brand = self._spam_for(author, lang)
            slot.truth = {brand: "neutral"}
            slot.spam = True
            return
        if rng.random() < HOMONYM_SHARE[source]:
            word = "zest" if lang == "en" and rng.random() < 0.5 else "nuage"
            if lang == "fr" and rng.random() < 0.25:
                word = "zest"
            slot.text = compose.homonym_text(rng, lang, word)
            slot.homonym = True
            return
        slot.truth = self._brands_for(author, slot.at, topic_brand)
        slot.incident = (
            any(
                b == self.clock.incident.brand
                and p == "negative"
                and self.clock.in_incident(slot.at)
                for b, p in slot.truth.items()
            )
            and len(slot.truth) == 1
        )
        slot.text = compose.post_text(rng, lang, slot.truth, slot.incident, reply_to)

    def _brands_for(self, author: Author, at: datetime, topic: str | None) -> dict[str, Polarity]:
        rng = self.rng
        roll = rng.random()
        if roll < GENERIC_SHARE:
            return {}
        if roll < GENERIC_SHARE + CONTRAST_SHARE:
            other = rng.choice([b for b in self.brands if b != self.own])
            own_wins = rng.random() < 0.55 and not self.clock.in_incident(at)
            if author.detractor:
                own_wins = False
            if author.advocate:
                own_wins = True
            better, worse = (self.own, other) if own_wins else (other, self.own)
            return {better: "positive", worse: "negative"}
        if (author.advocate or author.detractor) and rng.random() < 0.75:
            brand = self.own
        elif topic and rng.random() < 0.6:
            brand = topic
        else:
            brand = self.brand()
        return {brand: self.polarity(brand, author, at)}


def _slug(text: str, number: int) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].rstrip("-")
    return f"{words}-{number}"


def _incident(start: date, days: int, brand: str) -> Incident:
    first = min(days - 1, round(days * 60 / 90))
    last = min(days - 1, first + 3)
    return Incident(
        brand=brand,
        first_day=start + timedelta(days=first),
        last_day=start + timedelta(days=last),
        keywords=INCIDENT_KEYWORDS,
    )


def generate_world(
    seed: int = 42, mentions: int = 3000, days: int = 90, start: date = date(2026, 7, 1)
) -> World:
    """A deterministic market of about `mentions` posts over `days` days from `start`."""
    if mentions < 20 or days < 1:
        raise ValueError("a demo world needs at least 20 mentions and 1 day")
    rng = random.Random(seed)
    incident = _incident(start, days, compose.own_brand())
    clock = _Clock(start, days, incident)
    authors = make_authors(rng, author_count(mentions))
    writer = _Writer(rng, clock)
    quota = {a.handle: rng.randint(*OBSERVER_QUOTA) for a in authors if a.kind == "observer"}
    n_articles = max(2, round(mentions * ARTICLE_SHARE))
    n_copies = max(1, round(mentions * SYNDICATED_SHARE))
    n_hn = max(2, round(mentions * HN_SHARE))
    n_comments = max(0, mentions - n_articles - n_copies - n_hn)
    n_copy_comments = min(n_comments, n_copies)
    posts: dict[str, PostTruth] = {}
    threads = _WebThreads(rng, clock, writer, _Picker(rng, authors, "web", quota), posts)
    articles = _web_articles(rng, clock, writer, threads, n_articles, n_comments - n_copy_comments)
    by_handle = {a.handle: a for a in authors}
    copies, syndicated = _syndicate(
        rng, clock, threads, by_handle, articles, n_copies, n_copy_comments
    )
    hn_items = _hacker_news(
        rng, clock, writer, _Picker(rng, authors, "hackernews", quota), n_hn, posts
    )
    # last, on its own generator: official answers leave every other post as it was
    answers = official.generator(seed)
    requests: list[RequestTruth] = []
    articles = official.answer_threads(answers, articles, posts, clock.end, requests)
    copies = official.answer_threads(answers, copies, posts, clock.end, requests)
    truth = Truth(
        authors={a.handle: a for a in authors},
        incident=incident,
        syndicated=syndicated,
        posts=posts,
        official_accounts=official.official_accounts(),
        requests=tuple(requests),
    )
    return World(
        seed=seed,
        start=start,
        days=days,
        articles=tuple(articles),
        copies=tuple(copies),
        hn_items=tuple(hn_items),
        truth=truth,
    )


def _root_times(rng: random.Random, clock: _Clock, count: int) -> list[datetime]:
    """Thread start times; the first one opens the incident."""
    times = [clock.root_time(rng) for _ in range(count - 1)]
    return sorted([clock.incident_time(rng), *times])


def _article_slot(
    rng: random.Random, writer: _Writer, clock: _Clock, author: Author, at: datetime, first: bool
) -> tuple[_Slot, str, str]:
    """An article's author, brand, polarity and topic (the first covers the incident)."""
    in_incident = clock.in_incident(at)
    if first or (in_incident and rng.random() < 0.7):
        brand = clock.incident.brand
    elif (author.advocate or author.detractor) and rng.random() < 0.6:
        brand = writer.own
    else:
        brand = writer.brand()
    if first or (in_incident and brand == clock.incident.brand):
        polarity: Polarity = "negative"
    else:
        polarity = writer.polarity(brand, author, at)
        if polarity != "neutral" and not (author.advocate or author.detractor):
            polarity = polarity if rng.random() < 0.55 else "neutral"
    slot = _Slot(None, 0, author, at, truth={brand: polarity})
    slot.incident = brand == clock.incident.brand and in_incident and polarity == "negative"
    topic = "reseau" if slot.incident else rng.choice(compose.phrases()["topics"])
    return slot, brand, topic


class _WebThreads:
    """Comment threads of web pages, numbered site-wide (`comment-<n>`), truth recorded."""

    def __init__(
        self,
        rng: random.Random,
        clock: _Clock,
        writer: _Writer,
        picker: _Picker,
        posts: dict[str, PostTruth],
    ) -> None:
        self.rng, self.clock, self.writer, self.picker, self.posts = (
            rng,
            clock,
            writer,
            picker,
            posts,
        )
        self.number = 0

    def comments(self, root: _Slot, size: int, path: str, brand: str) -> tuple[Comment, ...]:
        slots = _grow_thread(self.rng, self.clock, self.picker, root, size)
        ids = []
        for slot in slots:
            self.number += 1
            ids.append(f"comment-{self.number}")
            parent_author = root.author if slot.parent is None else slots[slot.parent].author
            self.writer.write(slot, slot.author.lang, "web", brand, parent_author.handle)
            self.posts[ids[-1]] = PostTruth(
                key=ids[-1],
                source="web",
                kind="comment" if slot.parent is None else "reply",
                author=slot.author.handle,
                lang=slot.author.lang,
                published_at=slot.at,
                brands=dict(slot.truth),
                page=path,
                homonym=slot.homonym,
                spam=slot.spam,
                incident=slot.incident,
            )
        return _comment_tree(slots, ids)


def _web_articles(
    rng: random.Random,
    clock: _Clock,
    writer: _Writer,
    threads: _WebThreads,
    count: int,
    n_comments: int,
) -> list[Article]:
    picker, posts = threads.picker, threads.posts
    roots = []
    for index, at in enumerate(_root_times(rng, clock, count)):
        author = picker.creator() if rng.random() < 0.85 else picker.starter()
        slot, brand, topic = _article_slot(rng, writer, clock, author, at, index == 0)
        roots.append((slot, brand, topic))
    weights = [
        rng.lognormvariate(0, 0.8) * (2.5 if s.incident else 1) * (2 if s.author.advocate else 1)
        for s, _, _ in roots
    ]
    sizes = [0] * count
    for chosen in rng.choices(range(count), weights=weights, k=n_comments):
        sizes[chosen] += 1
    articles = []
    bodies: set[tuple[str, ...]] = set()
    for number, ((root, brand, topic), size) in enumerate(zip(roots, sizes, strict=True), 1):
        lang = root.author.lang
        title, paragraphs = compose.article_text(
            rng, lang, brand, root.truth[brand], topic, root.incident
        )
        paragraphs = _unique_body(paragraphs, bodies, title, number, lang, brand, root, topic)
        slug = _slug(title, number)
        path = f"/articles/{slug}.html"
        posts[path] = PostTruth(
            key=path,
            source="web",
            kind="article",
            author=root.author.handle,
            lang=lang,
            published_at=root.at,
            brands=dict(root.truth),
            page=path,
            incident=root.incident,
        )
        comments = threads.comments(root, size, path, brand)
        articles.append(
            Article(
                slug=slug,
                title=title,
                author=root.author.handle,
                published_at=root.at,
                lang=lang,
                tags=(topic,),
                paragraphs=paragraphs,
                comments=comments,
            )
        )
    return articles


def _unique_body(
    paragraphs: tuple[str, ...],
    taken: set[tuple[str, ...]],
    title: str,
    number: int,
    lang: str,
    brand: str,
    root: _Slot,
    topic: str,
) -> tuple[str, ...]:
    """The article's paragraphs, redrawn while another article already has the same body.

    Only syndicated copies may share a body (the crawler and the dedup marts treat equal bodies
    as copies). Redraws use their own generator seeded by the article's title and number, so the
    main stream, and with it the rest of the world, is unchanged.
    """
    for attempt in range(100):
        if paragraphs not in taken:
            taken.add(paragraphs)
            return paragraphs
        redraw = random.Random(f"{title}|{number}|{attempt}")
        _, paragraphs = compose.article_text(
            redraw, lang, brand, root.truth[brand], topic, root.incident
        )
    raise ValueError(f"no unique body for article {number} ({title!r}): phrase pool too small")


def _comment_tree(slots: list[_Slot], ids: list[str]) -> tuple[Comment, ...]:
    def build(parent: int | None) -> tuple[Comment, ...]:
        return tuple(
            Comment(
                local_id=ids[i],
                author=s.author.handle,
                published_at=s.at,
                lang=s.author.lang,
                text=s.text,
                replies=build(i),
            )
            for i, s in enumerate(slots)
            if s.parent == parent
        )

    return build(None)


def _syndicate(
    rng: random.Random,
    clock: _Clock,
    threads: _WebThreads,
    authors: dict[str, Author],
    articles: list[Article],
    count: int,
    n_comments: int,
) -> tuple[list[SyndicatedCopy], dict[str, tuple[str, ...]]]:
    """Copies of some articles republished under /partenaires/ with another title prefix; a few
    draw comments of their own."""
    posts = threads.posts
    sizes = [0] * count
    for chosen in rng.choices(range(count), k=n_comments):
        sizes[chosen] += 1
    prefixes = compose.phrases()["syndication_prefixes"]
    candidates = [a for a in articles if a.lang == "fr" and a.published_at < clock.end] or articles
    copies: list[SyndicatedCopy] = []
    groups: dict[str, list[str]] = {}
    for size in sizes:
        original = rng.choice(candidates)
        group = groups.setdefault(original.path, [])
        at = clock.after(rng, original.published_at, 12)
        copy = SyndicatedCopy(
            slug=f"{original.slug}-p{len(group) + 1}",
            title=rng.choice(prefixes) + original.title,
            author=original.author,
            published_at=at,
            lang=original.lang,
            tags=original.tags,
            paragraphs=original.paragraphs,
            original_slug=original.slug,
        )
        group.append(copy.path)
        source_truth = posts[original.path]
        posts[copy.path] = PostTruth(
            key=copy.path,
            source="web",
            kind="article",
            author=copy.author,
            lang=copy.lang,
            published_at=at,
            brands=dict(source_truth.brands),
            page=copy.path,
            incident=source_truth.incident,
            syndicated_from=original.path,
        )
        if size:
            root = _Slot(None, 0, authors[copy.author], at)
            brand = next(iter(source_truth.brands))
            copy = replace(copy, comments=threads.comments(root, size, copy.path, brand))
        copies.append(copy)
    copies.sort(key=lambda c: (c.published_at, c.slug))
    return copies, {k: tuple(v) for k, v in groups.items()}


def _hacker_news(
    rng: random.Random,
    clock: _Clock,
    writer: _Writer,
    picker: _Picker,
    count: int,
    posts: dict[str, PostTruth],
) -> list[HNItem]:
    """Stories (links and Ask HN) and their comment trees; objectIDs grow with time."""
    hn = compose.phrases()["hn"]
    n_stories = max(1, round(count * HN_STORY_SHARE))
    roots = []
    for index, at in enumerate(_root_times(rng, clock, n_stories)):
        author = picker.creator() if rng.random() < 0.6 else picker.starter()
        slot, brand, _topic = _article_slot(rng, writer, clock, author, at, index == 0)
        roots.append((slot, brand))
    weights = [rng.lognormvariate(0, 1.0) * (2.5 if s.incident else 1) for s, _ in roots]
    sizes = [0] * n_stories
    for chosen in rng.choices(range(n_stories), weights=weights, k=count - n_stories):
        sizes[chosen] += 1
    # (slot, story index, parent slot or None, title, url, story brand)
    laid_out: list[tuple[_Slot, int, _Slot | None, dict[str, str | None]]] = []
    for story, ((root, brand), size) in enumerate(zip(roots, sizes, strict=True)):
        fields = _story_fields(rng, hn, writer, root, brand, story)
        laid_out.append((root, story, None, fields))
        slots = _grow_thread(rng, clock, picker, root, size)
        for slot in slots:
            above = root if slot.parent is None else slots[slot.parent]
            lang = slot.author.lang
            if lang == "fr" and "web" in slot.author.sources and rng.random() < 0.7:
                lang = "en"
            slot.lang = lang
            writer.write(slot, lang, "hackernews", brand, above.author.handle)
            laid_out.append((slot, story, above, {}))
    order = sorted(range(len(laid_out)), key=lambda i: (laid_out[i][0].at, i))
    ids: dict[int, str] = {}
    next_id = FIRST_HN_ID
    for i in order:
        next_id += rng.randint(3, 60)
        ids[id(laid_out[i][0])] = str(next_id)
    story_ids = {story: ids[id(slot)] for slot, story, parent, _ in laid_out if parent is None}
    descendants: dict[int, int] = {}
    for _slot, story, parent, _ in laid_out:
        if parent is not None:
            descendants[story] = descendants.get(story, 0) + 1
    items = []
    for i in order:
        slot, story, parent, fields = laid_out[i]
        object_id = ids[id(slot)]
        lang = slot.lang or slot.author.lang
        if parent is None:
            items.append(
                HNItem(
                    object_id=object_id,
                    item_type="story",
                    author=slot.author.handle,
                    created_at=slot.at,
                    story_id=object_id,
                    title=fields["title"],
                    url=fields["url"],
                    text=fields["text"],
                    points=max(1, int(rng.lognormvariate(2.3, 1.1))),
                    num_comments=descendants.get(story, 0),
                )
            )
            kind: PostKind = "story"
        else:
            items.append(
                HNItem(
                    object_id=object_id,
                    item_type="comment",
                    author=slot.author.handle,
                    created_at=slot.at,
                    story_id=story_ids[story],
                    parent_id=ids[id(parent)],
                    text=slot.text,
                )
            )
            kind = "comment" if parent.depth == 0 else "reply"
        posts[object_id] = PostTruth(
            key=object_id,
            source="hackernews",
            kind=kind,
            author=slot.author.handle,
            lang=lang,
            published_at=slot.at,
            brands=dict(slot.truth),
            homonym=slot.homonym,
            spam=slot.spam,
            incident=slot.incident,
        )
    return items


def _story_fields(
    rng: random.Random, hn: dict, writer: _Writer, root: _Slot, brand: str, story: int
) -> dict[str, str | None]:
    """Title, url and text of a story: a link to a write-up or an Ask HN with a text."""
    polarity = root.truth[brand]
    root.lang = "en"
    if root.incident:
        title = compose.fill(rng, rng.choice(hn["incident_titles"]), brand=brand)
    elif rng.random() < 0.55:
        topic = rng.choice(compose.phrases()["topics"])
        title, _ = compose.article_text(rng, "en", brand, polarity, topic, False)
        slug = _slug(title, story + 1)
        host = root.author.handle.replace("_", "-").replace(".", "-")
        url = rng.choice(hn["story_urls"]).format(slug=slug, handle=host)
        return {"title": title, "url": url, "text": None}
    else:
        other = rng.choice([b for b in writer.brands if b != brand])
        template = rng.choice(hn["ask_titles"])
        title = compose.fill(rng, template, brand=brand, other=other)
        if "{other}" in template:
            root.truth[other] = "neutral"
    text = compose.post_text(rng, "en", {brand: polarity}, root.incident)
    return {"title": title, "url": None, "text": text}
