"""Reddit submissions (and comments, when a listing holds them) matching the brands' terms.

With OAuth client credentials (dlt secrets `sources.reddit.client_id` / `client_secret`, or the
`REDDIT_CLIENT_ID` / `REDDIT_CLIENT_SECRET` environment variables) the source asks for an app-only
token and searches `oauth_base_url`; without them it uses the public `.json` listings. Results come
newest first (`sort=new`); paging with `after` stops at the saved `created_utc` cursor of the
query (minus `overlap_s`), so a re-run reads only newer posts. Each new matched submission's
comment tree follows it (`ingestion.reddit.threads`, unless `comment_trees: false`): every comment a
row whose `parent_id` is the fullname it answers and `link_id` the thread's root submission.
Merge on the fullname (`t3_…`, `t1_…`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import dlt

from core.config import EcouteConfig, RedditSource
from core.raw_schema import RAW_TABLES
from ingestion.api.client import (
    ApiClient,
    BadPayload,
    BodyTooLarge,
    HttpSettings,
    TerminalHttpError,
)
from ingestion.api.records import (
    RecordError,
    brand_queries,
    brief,
    opt_int,
    opt_str,
    parse_time,
    req_str,
    utc_now,
    web_url,
)
from ingestion.api.stream import Cursor, quarantine_hints, read_stream
from ingestion.reddit.threads import comment_tree

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

SOURCE = "reddit"
RAW = RAW_TABLES["reddit_posts"]
_KINDS = {"t3": "submission", "t1": "comment"}


def thing_to_row(thing: Any, query: str, site: str = "https://www.reddit.com") -> dict[str, Any]:
    """One listing child (`t3` submission or `t1` comment) as a `reddit_posts` row."""
    if not isinstance(thing, dict) or not isinstance(thing.get("data"), dict):
        raise RecordError("listing child is not {kind, data}")
    kind = thing.get("kind")
    kind = _KINDS.get(kind) if isinstance(kind, str) else None
    if kind is None:
        raise RecordError(f"unsupported kind {brief(thing.get('kind'))}")
    data = thing["data"]
    post_id = req_str(data, "id")
    subreddit = req_str(data, "subreddit")
    created = data.get("created_utc")
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise RecordError("field 'created_utc' should be a number")
    over_18 = data.get("over_18")
    if over_18 is not None and not isinstance(over_18, bool):
        raise RecordError("field 'over_18' should be a boolean")
    score = data.get("score")
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    link_id = opt_str(data, "link_id")
    permalink = opt_str(data, "permalink")
    if permalink and permalink.startswith("/") and not permalink.startswith("//"):
        url = site + permalink
    elif kind == "comment" and link_id:
        url = f"{site}/r/{subreddit}/comments/{link_id.removeprefix('t3_')}/_/{post_id}/"
    else:
        url = f"{site}/r/{subreddit}/comments/{post_id}/"
    text = opt_str(data, "selftext" if kind == "submission" else "body") or ""
    link_field_name = "url" if kind == "submission" else "link_url"
    link_field = opt_str(data, link_field_name)
    return {
        "name": req_str(data, "name"),
        "kind": kind,
        "post_id": post_id,
        "subreddit": subreddit,
        "author": opt_str(data, "author"),
        "created_at": parse_time(created, "created_utc"),
        "title": opt_str(data, "title" if kind == "submission" else "link_title"),
        "text": text,
        "url": url,
        "link_url": web_url(link_field, link_field_name),
        "parent_id": opt_str(data, "parent_id"),
        "link_id": link_id,
        "score": opt_int({"score": score}, "score"),
        "num_comments": opt_int(data, "num_comments"),
        "over_18": over_18,
        "matched_query": query,
        "fetched_at": utc_now(),
    }


def _noted(thing: Any, submissions: dict[str, str | None], query: str) -> dict[str, Any]:
    """`thing_to_row`, noting each submission that has comments (name -> title)."""
    row = thing_to_row(thing, query)
    if row["kind"] == "submission" and row["num_comments"] != 0:
        submissions.setdefault(row["name"], row["title"])
    return row


def _in_thread(thing: Any, query: str, title: str | None) -> dict[str, Any]:
    """`thing_to_row` for a comment of a tree: its title is the thread's, as for search hits."""
    row = thing_to_row(thing, query)
    row["title"] = row["title"] or title
    return row


def credentials() -> tuple[str, str] | None:
    """(client id, secret) from dlt secrets or the environment; None for anonymous access."""
    found: list[str | None] = []
    for key, env in (("client_id", "REDDIT_CLIENT_ID"), ("client_secret", "REDDIT_CLIENT_SECRET")):
        try:
            value: str | None = dlt.secrets.get(f"sources.reddit.{key}")
        except Exception:  # no secrets provider configured
            value = None
        found.append(value or os.environ.get(env))
    client_id, secret = found
    if bool(client_id) != bool(secret):
        raise TerminalHttpError(
            "reddit: only one of client_id / client_secret is set; give both "
            "(sources.reddit.* in .dlt/secrets.toml or REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET)"
        )
    return (client_id, secret) if client_id and secret else None


def _authorised_client(section: RedditSource, settings: HttpSettings) -> tuple[ApiClient, str, str]:
    """A client, the API root and path suffix: OAuth when credentials exist, else public JSON."""
    creds = credentials()
    if creds is None:
        return ApiClient(SOURCE, settings), section.base_url.rstrip("/"), ".json"
    login = ApiClient(SOURCE, settings)
    token = login.post(
        section.base_url.rstrip("/") + "/api/v1/access_token",
        data={"grant_type": "client_credentials"},
        auth=creds,
    ).json()
    if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
        raise TerminalHttpError(
            "reddit: the token endpoint gave no access_token; check REDDIT_CLIENT_ID/_SECRET "
            "belong to a 'script' or 'web' app"
        )
    headers = {"Authorization": f"bearer {token['access_token']}"}
    return ApiClient(SOURCE, settings, headers=headers), section.oauth_base_url.rstrip("/"), ""


def _listing(
    client: ApiClient, section: RedditSource, url: str, params: dict[str, Any], since: float
) -> Iterator[tuple[Any, str | None]]:
    """Children of a newest-first listing down to `since`; (payload, reason) for a bad page."""
    after: str | None = None
    for _ in range(section.max_pages):
        page_params = {**params, "sort": "new", "limit": section.page_size, "raw_json": 1}
        if after:
            page_params["after"] = after
        try:
            fetched = client.get(url, params=page_params)
            data = fetched.json()
            listing = data.get("data") if isinstance(data, dict) else None
            if not isinstance(listing, dict) or not isinstance(listing.get("children"), list):
                raise BadPayload("response is not a Listing", fetched.body)
        except BodyTooLarge as error:
            yield error.head, str(error)
            return
        except BadPayload as error:
            yield error.payload, f"{url}: {error.reason}"
            return
        crossed = False
        for child in listing["children"]:
            created = child.get("data", {}).get("created_utc") if isinstance(child, dict) else None
            if isinstance(created, int | float) and created <= since:
                crossed = True
                continue
            yield child, None
        after = listing.get("after") if isinstance(listing.get("after"), str) else None
        if crossed or not after or not listing["children"]:
            return
    log.warning("reddit: %s stopped after max_pages; older posts are skipped", url)


def reddit_source(config: EcouteConfig) -> DltSource:
    """The `reddit` dlt source: resource `reddit_posts` (+ `reddit_quarantine`)."""
    section = config.sources.reddit or RedditSource()
    settings = HttpSettings.from_config(config, section)
    queries = brand_queries(config, section.queries)

    @dlt.resource(
        name=RAW.name, write_disposition="merge", primary_key=RAW.key, columns=RAW.dlt_columns()
    )
    def reddit_posts() -> Iterator[Any]:
        cursor = Cursor(
            dlt.current.resource_state().setdefault("created_utc", {}),
            start=utc_now().timestamp() - section.initial_days * 86400,
            overlap=section.overlap_s,
        )
        client, root, suffix = _authorised_client(section, settings)
        site_wide = [] if section.subreddits else queries
        streams = [(q, f"{root}/search{suffix}", {"q": q}) for q in site_wide]
        streams += [
            (q, f"{root}/r/{quote(sub)}/search{suffix}", {"q": q, "restrict_sr": "on"})
            for sub in section.subreddits
            for q in queries
        ]
        seen: set[str] = set()
        trees: set[str] = set()  # submissions whose comments were read in this run
        for query, url, params in streams:
            key = f"{url}|{query.casefold()}"
            since = cursor.since(key)
            submissions: dict[str, str | None] = {}
            progress = yield from read_stream(
                SOURCE,
                _listing(client, section, url, params, since),
                partial(_noted, submissions=submissions, query=query),
                "name",
                seen,
                terms=queries,
                cursor_of=lambda row: row["created_at"].timestamp(),
                newest=since,
            )
            for submission, title in submissions.items() if section.comment_trees else ():
                if submission in trees:
                    continue
                trees.add(submission)
                yield from read_stream(
                    SOURCE,
                    comment_tree(client, root, suffix, submission, section.max_more_requests),
                    partial(_in_thread, query=query, title=title),
                    "name",
                    seen,
                    terms=queries,
                )
            if progress.complete:
                cursor.advance(key, progress.newest, since)

    @dlt.source(name=SOURCE, max_table_nesting=0)
    def reddit() -> Any:
        return quarantine_hints(reddit_posts, SOURCE)

    return reddit()
