"""A matched submission's comment tree: `/comments/{id}` plus bounded `more` expansion.

Search only finds the posts that name a brand; the conversation under them (complaints answered,
"same here") is in the comments. Each comment keeps Reddit's own `parent_id` (the `t1_`/`t3_`
fullname it answers) and `link_id` (the submission at the thread's root), so no reconstruction is
needed downstream. Collapsed branches (`more` stubs) are expanded through `/api/morechildren` (100
ids a call), and branches cut at Reddit's depth limit through the parent comment's own page, at
most `max_more_requests` calls per submission in all; what is left is logged, not guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from ingestion.api.client import (
    ApiClient,
    BadPayload,
    BodyTooLarge,
    TerminalHttpError,
    TransientHttpError,
)

log = logging.getLogger(__name__)

MORE_BATCH = 100  # ids per /api/morechildren call (Reddit's limit)
TREE_LIMIT = 500  # comments asked for in the first /comments call


def _field(value: Any, *path: str) -> Any:
    """`value[path[0]][path[1]]...`, None where a level is missing or not an object."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


@dataclass
class Pending:
    """What a tree left collapsed: `more` comment ids, and `deep` parents whose replies Reddit
    cuts at its depth limit ("continue this thread", a `more` stub without ids)."""

    more: list[str] = field(default_factory=list)
    deep: list[str] = field(default_factory=list)


def flatten(listing: Any, pending: Pending) -> Iterator[Any]:
    """Every thing of a Listing, depth first (parents before replies); collapsed branches go to
    `pending`. A child that is not a thing is yielded as is, to be quarantined."""
    children = _field(listing, "data", "children")
    stack = list(reversed(children)) if isinstance(children, list) else []
    while stack:
        child = stack.pop()
        if isinstance(child, dict) and child.get("kind") == "more":
            ids = _field(child, "data", "children")
            ids = (
                [i for i in ids if isinstance(i, str) and i != "_"] if isinstance(ids, list) else []
            )
            parent = _field(child, "data", "parent_id")
            if ids:
                pending.more.extend(ids)
            elif isinstance(parent, str) and parent.startswith("t1_"):
                pending.deep.append(parent)
            continue
        yield child
        replies = _field(child, "data", "replies", "data", "children")
        if isinstance(replies, list):
            stack.extend(reversed(replies))


def comment_tree(
    client: ApiClient,
    root: str,
    suffix: str,
    submission: str,
    max_more_requests: int,
) -> Iterator[tuple[Any, str | None]]:
    """(comment thing, None) for each comment under `submission` (a `t3_` fullname), or
    (payload, reason) for a page that cannot be read. An HTTP failure on one tree (a removed post,
    a private subreddit) is logged and skips that tree: the run goes on."""
    post_id = submission.removeprefix("t3_")
    pending = Pending()
    url = f"{root}/comments/{post_id}{suffix}"
    page = yield from _get(client, url, {"raw_json": 1, "limit": TREE_LIMIT}, _comments_of)
    if page is None:
        return
    yield from ((thing, None) for thing in flatten(page, pending))
    yield from _expand(client, root, suffix, submission, pending, max_more_requests)


def _comments_of(body: Any) -> Any:
    """The comment Listing of a `/comments` answer ([submission Listing, comment Listing])."""
    if not isinstance(body, list) or len(body) < 2:
        raise ValueError("comments response is not [submission, comments]")
    return body[1]


def _things_of(body: Any) -> Any:
    """A `/api/morechildren` answer's things, as a Listing."""
    things = _field(body, "json", "data", "things")
    if not isinstance(things, list):
        raise ValueError("morechildren response has no json.data.things")
    return {"data": {"children": things}}


def _get(
    client: ApiClient, url: str, params: dict[str, Any], listing_of: Callable[[Any], Any]
) -> Generator[tuple[Any, str], None, Any]:
    """The Listing `listing_of` finds in the answer, or None after yielding (payload, reason)
    for an unreadable body; HTTP failures are logged (nothing to keep aside)."""
    try:
        fetched = client.get(url, params=params)
        body = fetched.json()
        try:
            return listing_of(body)
        except ValueError as error:
            raise BadPayload(str(error), fetched.body) from None
    except BodyTooLarge as error:
        yield error.head, str(error)
    except BadPayload as error:
        yield error.payload, f"{url}: {error.reason}"
    except (TerminalHttpError, TransientHttpError) as error:
        log.warning("reddit: %s skipped: %s", url, error)
    return None


def _expand(
    client: ApiClient,
    root: str,
    suffix: str,
    submission: str,
    pending: Pending,
    max_more_requests: int,
) -> Iterator[tuple[Any, str | None]]:
    """The comments behind collapsed branches, at most `max_more_requests` calls: `more` ids in
    calls of `MORE_BATCH`, then each depth-cut parent's own page; new stubs are queued."""
    asked: set[str] = set()
    for _ in range(max_more_requests):
        batch = [i for i in dict.fromkeys(pending.more) if i not in asked][:MORE_BATCH]
        asked.update(batch)
        if batch:
            url = f"{root}/api/morechildren{suffix}"
            children = ",".join(batch)
            params = {"api_type": "json", "link_id": submission, "children": children}
            page = yield from _get(client, url, {**params, "raw_json": 1}, _things_of)
        elif deep := [p for p in pending.deep if p not in asked]:
            asked.add(deep[0])
            post_id, parent = submission.removeprefix("t3_"), deep[0].removeprefix("t1_")
            url = f"{root}/comments/{post_id}/_/{parent}{suffix}"
            page = yield from _get(client, url, {"raw_json": 1}, _comments_of)
        else:
            return
        if page is None:
            return
        yield from ((thing, None) for thing in flatten(page, pending))
    left = {i for i in pending.more + pending.deep if i not in asked}
    if left:
        log.info(
            "reddit: %d collapsed branches of %s left unread (max_more_requests=%d)",
            len(left),
            submission,
            max_more_requests,
        )
