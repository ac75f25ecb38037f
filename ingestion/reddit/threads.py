"""A matched submission's comment tree: `/comments/{id}` plus bounded `more` expansion.

Search only finds the posts that name a brand; the conversation under them (complaints answered,
"same here") is in the comments. Each comment keeps Reddit's own `parent_id` (the `t1_`/`t3_`
fullname it answers) and `link_id` (the submission at the thread's root), so no reconstruction is
needed downstream. Collapsed branches (`more` stubs) are expanded through `/api/morechildren`, at
most `max_more_requests` calls of 100 ids per submission; what is left is logged, not guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
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


def flatten(listing: Any, more: list[str]) -> Iterator[Any]:
    """Every thing of a Listing, depth first (parents before replies); the ids of `more` stubs
    are appended to `more`. A child that is not a thing is yielded as is, to be quarantined."""
    children = _field(listing, "data", "children")
    stack = list(reversed(children)) if isinstance(children, list) else []
    while stack:
        child = stack.pop()
        if isinstance(child, dict) and child.get("kind") == "more":
            ids = _field(child, "data", "children")
            if isinstance(ids, list):
                more.extend(i for i in ids if isinstance(i, str) and i != "_")
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
    more: list[str] = []
    url = f"{root}/comments/{post_id}{suffix}"
    try:
        fetched = client.get(url, params={"raw_json": 1, "limit": TREE_LIMIT})
        data = fetched.json()
        if not isinstance(data, list) or len(data) < 2:
            raise BadPayload("comments response is not [submission, comments]", fetched.body)
    except BodyTooLarge as error:
        yield error.head, str(error)
        return
    except BadPayload as error:
        yield error.payload, f"{url}: {error.reason}"
        return
    except (TerminalHttpError, TransientHttpError) as error:
        log.warning("reddit: comments of %s skipped: %s", submission, error)
        return
    for thing in flatten(data[1], more):
        yield thing, None
    yield from _expand(client, root, suffix, submission, more, max_more_requests)


def _expand(
    client: ApiClient,
    root: str,
    suffix: str,
    submission: str,
    more: list[str],
    max_more_requests: int,
) -> Iterator[tuple[Any, str | None]]:
    """The comments behind `more` stubs, in calls of `MORE_BATCH` ids, new stubs queued."""
    url = f"{root}/api/morechildren{suffix}"
    asked: set[str] = set()
    for _ in range(max_more_requests):
        batch = [i for i in dict.fromkeys(more) if i not in asked][:MORE_BATCH]
        if not batch:
            return
        asked.update(batch)
        params = {
            "api_type": "json",
            "link_id": submission,
            "children": ",".join(batch),
            "raw_json": 1,
        }
        try:
            fetched = client.get(url, params=params)
            body = fetched.json()
            things = _field(body, "json", "data", "things")
            if not isinstance(things, list):
                raise BadPayload("morechildren response has no json.data.things", fetched.body)
        except BodyTooLarge as error:
            yield error.head, str(error)
            return
        except BadPayload as error:
            yield error.payload, f"{url}: {error.reason}"
            return
        except (TerminalHttpError, TransientHttpError) as error:
            log.warning("reddit: more comments of %s skipped: %s", submission, error)
            return
        listing = {"data": {"children": things}}
        for thing in flatten(listing, more):
            yield thing, None
    left = {i for i in more if i not in asked}
    if left:
        log.info(
            "reddit: %d comments of %s left unexpanded (max_more_requests=%d)",
            len(left),
            submission,
            max_more_requests,
        )
