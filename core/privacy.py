"""Privacy by default: keyed pseudonyms for authors, a retention limit, and the right to erasure.

The build (before dbt) writes `privacy.author_pseudonyms(author_key, pseudonym)`: `author_key` is
int_mentions' clear `source:lower(handle)`, `pseudonym` what the marts show instead (`anon-<hmac>`,
or the handle itself for a declared public account or when `pseudonymise_authors` is off). dbt
joins it, so dbt never sees the key. The key comes from the environment variable named by
`privacy.key_env`, else from a random key created once beside the warehouse (`pseudonym.key`,
mode 0600); it is never written to the warehouse, dlt state or a log.

Erasure (`forget`) deletes a person's rows everywhere and records a keyed hash of the handle in
`privacy.forgotten`; every build deletes re-collected rows of a forgotten handle before dbt runs,
so a re-crawl never brings them back. The `privacy` schema stays in the build database (the
serving copy holds the marts only).

Every statement goes through `core.sql_client`, so the same code runs on DuckDB and on Postgres
(handles fold case as dbt's `fold_case` does, whatever the database locale).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core import sql_client, warehouse

if TYPE_CHECKING:
    from pathlib import Path

    from core.config import EcouteConfig
    from core.sql_client import Connection

log = logging.getLogger("ecoute.privacy")

SCHEMA = "privacy"
PSEUDONYMS = "author_pseudonyms"
FORGOTTEN = "forgotten"
PREFIX = "anon-"
DIGITS = 16
"""Hex digits kept of the HMAC: 64 bits, no collision in any realistic author count."""
KEY_FILE = "pseudonym.key"
ANY_SOURCE = "*"


@dataclass(frozen=True)
class RawPosts:
    """One raw table of posts: its source (int_mentions' `source`), key, mention prefix, time."""

    table: str
    source: str
    key: str
    prefix: str
    time: str


RAW_POSTS = (
    RawPosts("web_pages", "web", "url", "web:", "published_at"),
    RawPosts("web_comments", "web", "comment_id", "web:", "published_at"),
    RawPosts("hackernews_items", "hackernews", "object_id", "hn:", "created_at"),
    RawPosts("mastodon_posts", "mastodon", "uri", "mastodon:", "created_at"),
    RawPosts("bluesky_posts", "bluesky", "uri", "bluesky:", "created_at"),
    RawPosts("reddit_posts", "reddit", "name", "reddit:", "created_at"),
    RawPosts("feed_entries", "feeds", "entry_key", "feed:", "published_at"),
    RawPosts("import_posts", "import", "post_id", "import:", "published_at"),
)
"""Where authors and texts live in `raw` (ARCHITECTURE.md); mention_id = prefix + key."""

INCREMENTAL_MARTS = (
    "fct_mentions",
    "fct_brand_mentions",
    "mart_brand_sentiment_daily",
    "mart_contributor_typology",
    "dim_authors",
    "fct_brand_requests",
    "mart_community_composition",
    "mart_community_bands",
)
"""The incremental tables of `marts`: rebuilt whole by dbt when a correction of an older mention
arrives (core/corrections.py). The incremental tables of `intermediate` that read them (keyword
counts, stances) follow, as every row of their inputs is written again; those before them do
not read corrections."""
INCREMENTAL_INTERMEDIATE = (
    "int_mentions",
    "int_mentions_deduplicated",
    "int_author_posts",
    "int_author_behaviour",
    "int_author_roles",
    "int_brand_keywords_weekly",
    "int_author_brand_stance",
)
"""The incremental tables of `intermediate` (tests/core/test_privacy.py checks both lists against
the dbt models)."""
REBUILT_AFTER_DELETION = (
    *(("intermediate", table) for table in INCREMENTAL_INTERMEDIATE),
    *(("marts", table) for table in INCREMENTAL_MARTS),
)
"""Dropped when rows are deleted, so the next dbt build rebuilds them whole from what is left
(a deleted canonical copy, a day's aggregate, a reply's deleted parent, thread or story title,
an author's or a thread's counts cannot be patched in place; an incremental table that finds
fewer rows than it counted is not enough: new rows in the same build can hide the loss)."""


@dataclass
class Deletion:
    """Rows deleted per table (`schema.table` → count); never the content."""

    rows: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    def add(self, table: str, count: int) -> None:
        if count:
            self.rows[table] = self.rows.get(table, 0) + count

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# --- the key and the pseudonym ------------------------------------------------------------


def key_path(config: EcouteConfig) -> Path:
    return warehouse.duckdb_path(config).parent / KEY_FILE


def load_key(config: EcouteConfig) -> bytes:
    """The secret key: the environment variable `privacy.key_env`, else the key file (created
    once with 32 random bytes, mode 0600, so pseudonyms stay stable across builds)."""
    value = os.environ.get(config.privacy.key_env)
    if value:
        return value.encode("utf-8")
    path = key_path(config)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def _digest(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(key: bytes, author_key: str) -> str:
    """`anon-` + the truncated HMAC-SHA256 of the handle of `source:lower(handle)`.

    The source is left out so that one handle on two sources keeps one pseudonym, as it kept one
    handle: the trust score's cross-source component counts the sources a handle posts on.
    """
    return PREFIX + _digest(key, author_key.split(":", 1)[-1])[:DIGITS]


def forgotten_hash(key: bytes, source: str, handle: str) -> str:
    """What `privacy.forgotten` stores for a handle (keyed, so the list names nobody)."""
    return _digest(key, f"forget|{source}|{handle.strip().lower()}")


# --- the warehouse ------------------------------------------------------------------------


def _tables(con: Connection, schema: str) -> dict[str, set[str]]:
    """Base tables of `schema` with their column names."""
    rows = con.execute(
        "select c.table_name, c.column_name from information_schema.columns c "
        "join information_schema.tables t using (table_catalog, table_schema, table_name) "
        "where c.table_schema = ? and t.table_type = 'BASE TABLE'",
        [schema],
    )
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def _present(con: Connection) -> list[RawPosts]:
    raw = _tables(con, "raw")
    return [posts for posts in RAW_POSTS if posts.table in raw]


def _ensure_schema(con: Connection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"create table if not exists {SCHEMA}.{FORGOTTEN} "
        "(author_hash varchar primary key, forgotten_at timestamp with time zone)"
    )


def write_pseudonyms(config: EcouteConfig, con: Connection) -> int:
    """Rewrite `privacy.author_pseudonyms` for every author in `raw`; returns its row count."""
    _ensure_schema(con)
    handle = con.fold_case("trim(author)")
    selects = [
        f"select '{p.source}' || ':' || {handle} as author_key, trim(author) as handle "
        f"from raw.{p.table} where nullif(trim(author), '') is not null"
        for p in _present(con)
    ]
    # min(handle) in code point order on both engines (Postgres' `min` follows the collation)
    first = 'min(handle collate "C")' if con.engine == "postgres" else "min(handle)"
    authors = (
        con.execute(
            f"select author_key, {first} from ({' union all '.join(selects)}) as authors "
            "group by author_key"
        )
        if selects
        else []
    )
    key = load_key(config)
    public = {name.strip().lower() for name in config.privacy.public_accounts}
    shown = [
        handle
        if not config.privacy.pseudonymise_authors or handle.lower() in public
        else pseudonym(key, author_key)
        for author_key, handle in authors
    ]
    con.replace_table(
        f"{SCHEMA}.{PSEUDONYMS}",
        "select unnest(?::varchar[]) as author_key, unnest(?::varchar[]) as pseudonym "
        "order by author_key",
        [[a for a, _ in authors], shown],
    )
    return len(authors)


def _delete_posts(con: Connection, posts: RawPosts, where: str, params: list[object]) -> list[str]:
    """Delete matching rows of one raw table; returns their mention_ids."""
    keys = [
        str(key)
        for (key,) in con.execute(
            f"select {posts.key} from raw.{posts.table} where {where}", params
        )
    ]
    if keys:
        con.execute(f"delete from raw.{posts.table} where {where}", params)
    return [posts.prefix + key for key in keys]


def _delete_page_comments(con: Connection, mention_ids: list[str], done: Deletion) -> list[str]:
    """A deleted web page takes its comments along (a comment hangs on its page in raw and in
    the dbt contract); returns the comments' mention_ids."""
    urls = [m.removeprefix("web:") for m in mention_ids if m.startswith("web:") and "#" not in m]
    if not urls or "web_comments" not in _tables(con, "raw"):
        return []
    comments = next(p for p in RAW_POSTS if p.table == "web_comments")
    ids = _delete_posts(con, comments, "page_url in (select unnest(?::varchar[]))", [urls])
    done.add("raw.web_comments", len(ids))
    return ids


def _delete_derived(
    con: Connection, mention_ids: list[str], author_ids: list[str], done: Deletion
) -> None:
    """Delete the mentions (and authors) from enrichment and every built table; drop the
    incremental marts so the next build rebuilds them from what is left."""
    if not mention_ids and not author_ids:
        return
    con.replace_table(
        "ecoute_gone", "select unnest(?::varchar[]) as mention_id", [mention_ids], temporary=True
    )
    con.replace_table(
        "ecoute_gone_authors",
        "select unnest(?::varchar[]) as author_id",
        [author_ids],
        temporary=True,
    )
    enrichment = _tables(con, "enrichment")
    if "mention_enrichment" in enrichment:
        roots = (
            "select _dlt_id from enrichment.mention_enrichment "
            "where mention_id in (select mention_id from ecoute_gone)"
        )
        for child, columns in enrichment.items():
            if child.startswith("mention_enrichment__") and "_dlt_root_id" in columns:
                count = con.change(
                    f'delete from enrichment."{child}" where _dlt_root_id in ({roots})'
                )
                done.add(f"enrichment.{child}", count)
    for schema in ("enrichment", "intermediate", "marts"):
        for table, columns in _tables(con, schema).items():
            if schema == "enrichment" and table.startswith("mention_enrichment__"):
                continue
            clauses = []
            if "mention_id" in columns:
                clauses.append("mention_id in (select mention_id from ecoute_gone)")
            if "author_id" in columns:
                clauses.append("author_id in (select author_id from ecoute_gone_authors)")
            if clauses:
                count = con.change(f'delete from {schema}."{table}" where {" or ".join(clauses)}')
                done.add(f"{schema}.{table}", count)
    # Postgres tracks the views built on them (an intermediate view may read a mart): they go
    # too, and the next dbt build recreates them (on DuckDB they fail until then either way).
    cascade = " cascade" if con.engine == "postgres" else ""
    for schema, table in REBUILT_AFTER_DELETION:
        if table in _tables(con, schema):
            con.execute(f'drop table {schema}."{table}"{cascade}')
            done.dropped.append(f"{schema}.{table}")


def _log(action: str, done: Deletion) -> None:
    for table, count in sorted(done.rows.items()):
        log.info("%s: deleted %d rows from %s", action, count, table)
    if done.dropped:
        log.info("%s: dropped %s (rebuilt by the next build)", action, ", ".join(done.dropped))
    if not done.rows:
        log.info("%s: nothing to delete", action)


def apply_retention(config: EcouteConfig, con: Connection, now: datetime | None = None) -> Deletion:
    """Delete posts older than `retention_days` (by publication time, else collection time)
    from raw, the quarantine tables, enrichment and every built table (an expired web page
    takes its comments along)."""
    done = Deletion()
    days = config.privacy.retention_days
    if days is None:
        return done
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    gone: list[str] = []
    for posts in _present(con):
        ids = _delete_posts(con, posts, f"coalesce({posts.time}, fetched_at) < ?", [cutoff])
        done.add(f"raw.{posts.table}", len(ids))
        gone += ids
    gone += _delete_page_comments(con, gone, done)
    for table, columns in _tables(con, "raw").items():
        if table.endswith("_quarantine") and "received_at" in columns:
            count = con.change(f'delete from raw."{table}" where received_at < ?', [cutoff])
            done.add(f"raw.{table}", count)
    _delete_derived(con, gone, [], done)
    _log(f"retention ({days} days)", done)
    return done


def _author_ids(con: Connection, author_keys: list[str]) -> list[str]:
    """The `author_id`s the marts use for these clear keys (source:lower(pseudonym))."""
    if PSEUDONYMS not in _tables(con, SCHEMA):
        return author_keys
    rows = con.execute(
        f"select author_key, pseudonym from {SCHEMA}.{PSEUDONYMS} where author_key in "
        f"(select unnest(?::varchar[]))",
        [author_keys],
    )
    return author_keys + [key.split(":", 1)[0] + ":" + shown.lower() for key, shown in rows]


def _forget_rows(con: Connection, handle: str, source: str | None, done: Deletion) -> None:
    """Delete one handle's rows (of one source, or all) everywhere, with the comments on their
    web pages."""
    chosen = [p for p in _present(con) if source in (None, p.source)]
    gone: list[str] = []
    for posts in chosen:
        ids = _delete_posts(con, posts, f"{con.fold_case('trim(author)')} = ?", [handle])
        done.add(f"raw.{posts.table}", len(ids))
        gone += ids
    gone += _delete_page_comments(con, gone, done)
    author_keys = sorted({f"{p.source}:{handle}" for p in chosen})
    for table, columns in _tables(con, "raw").items():
        if table.endswith("_quarantine") and "payload" in columns:
            if source is not None and not table.startswith(f"{source}_"):
                continue
            # the payload is the record as received: a JSON or CSV string quoting the handle
            count = con.change(
                f'delete from raw."{table}" where strpos({con.fold_case("payload")}, ?) > 0',
                [f'"{handle}"'],
            )
            done.add(f"raw.{table}", count)
    _delete_derived(con, gone, _author_ids(con, author_keys), done)
    if PSEUDONYMS in _tables(con, SCHEMA):
        count = con.change(
            f"delete from {SCHEMA}.{PSEUDONYMS} where author_key in (select unnest(?::varchar[]))",
            [author_keys],
        )
        done.add(f"{SCHEMA}.{PSEUDONYMS}", count)


def forget(config: EcouteConfig, author: str, source: str | None = None) -> Deletion:
    """Erase one person (a handle, of one source or all) everywhere, and keep them erased.

    Idempotent. The serving copy loses them at the next publish (the next build).
    """
    handle = author.strip().lower()
    if not handle:
        raise ValueError("an author handle is required")
    key = load_key(config)
    done = Deletion()
    with sql_client.connect(config) as con:
        _ensure_schema(con)
        con.execute(
            f"insert into {SCHEMA}.{FORGOTTEN} values (?, ?) on conflict do nothing",
            [forgotten_hash(key, source or ANY_SOURCE, handle), datetime.now(UTC)],
        )
        _forget_rows(con, handle, source, done)
    _log("forget", done)
    return done


def apply_forgotten(config: EcouteConfig, con: Connection) -> Deletion:
    """Delete re-collected rows of every forgotten handle (the build runs this before dbt)."""
    done = Deletion()
    _ensure_schema(con)
    forgotten = {h for (h,) in con.execute(f"select author_hash from {SCHEMA}.{FORGOTTEN}")}
    if not forgotten:
        return done
    key = load_key(config)
    for posts in _present(con):
        handles = con.execute(
            f"select distinct {con.fold_case('trim(author)')} from raw.{posts.table} "
            "where nullif(trim(author), '') is not null"
        )
        for (handle,) in handles:
            if forgotten_hash(key, ANY_SOURCE, handle) in forgotten:
                _forget_rows(con, handle, None, done)
            elif forgotten_hash(key, posts.source, handle) in forgotten:
                _forget_rows(con, handle, posts.source, done)
    if done.rows:
        _log("forgotten authors re-collected", done)
    return done


@dataclass(frozen=True)
class PrivacySummary:
    authors: int
    retention: Deletion
    forgotten: Deletion


def prepare(config: EcouteConfig, now: datetime | None = None) -> PrivacySummary:
    """The build's privacy step, before dbt: erase forgotten authors again, apply retention,
    then write the pseudonym table for the authors that remain (on either engine)."""
    with sql_client.connect(config) as con:
        forgotten = apply_forgotten(config, con)
        retention = apply_retention(config, con, now)
        authors = write_pseudonyms(config, con)
    log.info("pseudonyms written for %d authors", authors)
    return PrivacySummary(authors, retention, forgotten)
