"""Brands' official accounts answering their customers on the demo site, with a known truth.

In every comment thread of the site, the first comment where a customer asks (a question mark
in what they wrote) or complains (negative towards the brand) about a brand with an official
account *opens a request* to that brand (the article itself is the publisher's, not a
customer's). The brand answers some requests, once,
with a reply drawn after a seeded log-normal delay (each brand its own answer rate and median);
an answer that would fall after the world's end never happens. The answers name no brand, so
every other truth of the world (volumes, polarity, the incident, authors) is unchanged.

Runs after the rest of the world with its own generator (`random.Random(f"official|{seed}")`):
the main stream, and with it every other post, stays byte for byte what it was.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from demo import compose
from demo.model import Article, Comment, PostTruth, RequestTruth

_A = TypeVar("_A", bound=Article)

MAX_DEPTH = 3
ANSWERING: dict[str, tuple[float, float, float]] = {
    "Nuage": (0.7, 4.0, 1.0),
    "Fibrea": (0.45, 12.0, 0.9),
    "Célest": (0.3, 30.0, 0.7),
}
"""brand → (share of requests answered, median delay in hours, log-normal sigma)."""


def official_accounts() -> dict[str, str]:
    """brand → the handle its official account posts from (`ecoute.yml` declares the same)."""
    return dict(compose.phrases()["official"]["accounts"])


def is_request(text: str, polarity: str | None) -> bool:
    """A customer asks (a question mark) or complains (negative towards the brand)."""
    return polarity is not None and (polarity == "negative" or "?" in text)


def generator(seed: int) -> random.Random:
    """The answers' own generator: the world's main stream never feeds it."""
    return random.Random(f"official|{seed}")


def answer_threads(
    rng: random.Random,
    pages: list[_A],
    posts: dict[str, PostTruth],
    end: datetime,
    requests: list[RequestTruth],
) -> list[_A]:
    """The pages with their official answers added (truth recorded in `posts`); every request
    opened, answered or not, is appended to `requests`. Comment ids continue after the highest
    `comment-<n>` in `posts`."""
    accounts = official_accounts()
    number = 1 + max(
        (int(k.removeprefix("comment-")) for k in posts if k.startswith("comment-")), default=0
    )
    answered_pages: list[_A] = []
    for page in pages:
        thread = _thread(page)
        answers: list[tuple[str, Comment]] = []  # (parent local id or "", reply)
        for brand, handle in accounts.items():
            opener = _opener(thread, posts, brand, set(accounts.values()))
            if opener is None:
                continue
            key, depth, parent = opener
            opened = posts[key]
            rate, median, sigma = ANSWERING.get(brand, (0.0, 1.0, 1.0))
            delay = timedelta(hours=rng.lognormvariate(math.log(median), sigma))
            at = (opened.published_at + delay).replace(microsecond=0)
            if rng.random() >= rate or at > end:
                requests.append(RequestTruth(page.path, brand, key, opened.published_at))
                continue
            local_id = f"comment-{number}"
            number += 1
            text = compose.fill(
                rng, rng.choice(compose.phrases()["official"][opened.lang]), handle=opened.author
            )
            reply = Comment(local_id, handle, at, opened.lang, text)
            under = key if depth < MAX_DEPTH else parent
            answers.append(("" if under == page.path else under, reply))  # page: a top comment
            posts[local_id] = PostTruth(
                key=local_id,
                source="web",
                kind="comment" if under == page.path else "reply",
                author=handle,
                lang=opened.lang,
                published_at=at,
                page=page.path,
                official=True,
            )
            requests.append(RequestTruth(page.path, brand, key, opened.published_at, local_id, at))
        answered_pages.append(_with_answers(page, answers) if answers else page)
    return answered_pages


def _thread(page: Article) -> list[tuple[str, int, str, str]]:
    """(key, depth, parent key, text) of every post of a page's thread, the article (depth 0)
    first."""
    found = [(page.path, 0, "", "\n\n".join(page.paragraphs))]

    def walk(comments: tuple[Comment, ...], depth: int, parent: str) -> None:
        for comment in comments:
            found.append((comment.local_id, depth, parent, comment.text))
            walk(comment.replies, depth + 1, comment.local_id)

    walk(page.comments, 1, page.path)
    return found


def _opener(
    thread: list[tuple[str, int, str, str]],
    posts: dict[str, PostTruth],
    brand: str,
    officials: set[str],
) -> tuple[str, int, str] | None:
    """The thread's first customer comment asking or complaining to `brand`: (key, depth,
    parent key), or None."""
    candidates = [
        (posts[key].published_at, index, key, depth, parent)
        for index, (key, depth, parent, text) in enumerate(thread)
        if depth > 0
        and posts[key].author not in officials
        and is_request(text, posts[key].brands.get(brand))
    ]
    if not candidates:
        return None
    _, _, key, depth, parent = min(candidates)
    return key, depth, parent


def _with_answers(page: _A, answers: list[tuple[str, Comment]]) -> _A:
    """The page with each answer placed under its parent, siblings kept in time order."""

    def place(comments: tuple[Comment, ...], parent: str) -> tuple[Comment, ...]:
        mine = [reply for under, reply in answers if under == parent]
        kept = [replace(c, replies=place(c.replies, c.local_id)) for c in comments]
        return tuple(sorted([*kept, *mine], key=lambda c: c.published_at))

    return replace(page, comments=place(page.comments, ""))
