"""The community of the demo world: a few hundred handles with known contributor kinds.

Kinds follow the usual shape of an online community: a few creators who start threads, a core
of contributors who reply everywhere, opportunists who drop promo links, and a long tail of
observers who post once or twice. A handful of advocates / detractors are repeatedly positive /
negative about the own brand. Some handles post both on the web site and on Hacker News
(cross-source presence).
"""

from __future__ import annotations

import random

from demo.compose import phrases
from demo.model import Author, AuthorKind

KIND_SHARES: dict[AuthorKind, float] = {"creator": 0.03, "contributor": 0.08, "opportunist": 0.15}
ADVOCATES = 5
DETRACTORS = 5
CROSS_SOURCE_SHARE = 0.10
HN_ONLY_SHARE = 0.35
OBSERVER_QUOTA = (1, 2)


def author_count(mentions: int) -> int:
    """A few hundred authors for a few thousand mentions (at least 40)."""
    return max(40, mentions // 8)


def _handle(rng: random.Random, style: str, taken: set[str]) -> str:
    names = phrases()["names"]
    for _ in range(50):
        first, last = rng.choice(names["first"]), rng.choice(names["last"])
        handle = style.format(
            first=first, last=last, f=first[0], suffix=rng.choice(names["suffix"])
        )
        if handle not in taken:
            taken.add(handle)
            return handle
    handle = f"{first}{len(taken)}"
    taken.add(handle)
    return handle


def make_authors(rng: random.Random, count: int) -> list[Author]:
    """`count` authors; kinds by `KIND_SHARES` (the rest observers), languages by home source."""
    kinds: list[AuthorKind] = []
    for kind, share in KIND_SHARES.items():
        kinds += [kind] * max(1, round(count * share))
    kinds += ["observer"] * (count - len(kinds))
    rng.shuffle(kinds)
    styles = phrases()["names"]
    taken: set[str] = set()
    authors: list[Author] = []
    for index, kind in enumerate(kinds):
        roll = rng.random()
        # guarantee every kind on both sources: the first authors of each kind alternate
        if index < 8 or roll < CROSS_SOURCE_SHARE:
            sources: tuple[str, ...] = ("web", "hackernews")
        elif roll < CROSS_SOURCE_SHARE + HN_ONLY_SHARE:
            sources = ("hackernews",)
        else:
            sources = ("web",)
        if sources == ("hackernews",):
            lang = "en" if rng.random() < 0.9 else "fr"
        else:
            lang = "fr" if rng.random() < 0.82 else "en"
        style_list = styles["creator_style"] if kind == "creator" else styles["other_style"]
        handle = _handle(rng, rng.choice(style_list), taken)
        authors.append(Author(handle=handle, kind=kind, lang=lang, sources=sources))
    return _with_stances(rng, authors)


def _with_stances(rng: random.Random, authors: list[Author]) -> list[Author]:
    """Mark advocates (among creators/contributors: trusted, draw replies) and detractors."""
    engaged = [i for i, a in enumerate(authors) if a.kind in ("creator", "contributor")]
    rng.shuffle(engaged)
    advocates = set(engaged[:ADVOCATES])
    rest = [i for i in engaged[ADVOCATES:] if authors[i].kind == "contributor"]
    rest += [i for i, a in enumerate(authors) if a.kind == "observer"]
    detractors = set(rest[:DETRACTORS])
    return [
        Author(
            handle=a.handle,
            kind=a.kind,
            lang=a.lang,
            sources=a.sources,
            advocate=i in advocates,
            detractor=i in detractors,
        )
        for i, a in enumerate(authors)
    ]
