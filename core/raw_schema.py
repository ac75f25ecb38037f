"""The raw tables, declared once: name, natural key, columns with types and descriptions.

Everything else that names a raw column derives from `RAW_TABLES`: the dlt column hints of each
source (`dlt_columns`), the dbt `raw` source in `dbt_project/models/staging/_sources.yml`
(`sources_yml`; regenerate with `python -m core.raw_schema`, a test fails on drift), whose
`data_type`s the staging models cast to (`select_source`), and the DuckDB DDL the dbt tests load
their fixture into (`create_table_sql`). Plain Python: ingestion imports it without dagster or dbt.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from dlt.common.schema.typing import TColumnSchema

SOURCES_YML = Path(__file__).resolve().parents[1] / "dbt_project/models/staging/_sources.yml"


@dataclass(frozen=True)
class _Type:
    dlt: dict[str, Any]
    dbt: str  # a short name of the `ecoute_type` macro
    duckdb: str


TYPES = {
    "text": _Type({"data_type": "text"}, "string", "varchar"),
    "bigint": _Type({"data_type": "bigint"}, "bigint", "bigint"),
    "bool": _Type({"data_type": "bool"}, "boolean", "boolean"),
    # UTC instants, per ARCHITECTURE.md; dlt lands them as timestamp with time zone
    "timestamp": _Type(
        {"data_type": "timestamp", "timezone": True}, "timestamptz", "timestamp with time zone"
    ),
}


@dataclass(frozen=True)
class Column:
    """One raw column; `required` ones are `not null` in the warehouse (the dlt hint)."""

    name: str
    type: str
    description: str
    required: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.name!r}: unknown type {self.type!r} ({sorted(TYPES)})")


@dataclass(frozen=True)
class RawTable:
    """One table of the `raw` dataset, merged by dlt on `key`.

    `optional` tables exist only once their source is switched on, so dbt checks no freshness.
    """

    name: str
    key: str
    description: str
    columns: tuple[Column, ...]
    optional: bool = True

    def __post_init__(self) -> None:
        if not any(c.name == self.key and c.required for c in self.columns):
            raise ValueError(f"{self.name}: key {self.key!r} should be a required column")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def dlt_columns(self) -> dict[str, TColumnSchema]:
        """Fresh dlt column hints, in order (dlt fills hints in place, so they are never shared)."""
        hints: dict[str, dict[str, Any]] = {}
        for column in self.columns:
            hints[column.name] = dict(TYPES[column.type].dlt)
            if column.required:
                hints[column.name]["nullable"] = False
        return cast("dict[str, TColumnSchema]", hints)


def _c(spec: str, description: str) -> Column:
    """`Column` from `"name"`, `"name:type"`, with a trailing `!` for required."""
    required = spec.endswith("!")
    name, _, kind = spec.rstrip("!").partition(":")
    return Column(name, kind or "text", description, required)


_FETCHED = _c("fetched_at:timestamp", "When the collector fetched it (UTC).")
_QUERY = _c("matched_query", "The queries (comma-separated) whose terms the post contains.")


def quarantine(source: str) -> RawTable:
    """`<source>_quarantine`: records of `source` that failed validation (`core.quarantine`)."""
    return RawTable(
        f"{source}_quarantine",
        "quarantine_id",
        f"Records of the {source} source that failed validation, kept aside with the reason.",
        (
            _c("quarantine_id!", "sha256 of source + payload."),
            _c("source", "The source that produced the record."),
            _c("reason", "Why the record was set aside."),
            _c("payload", "The record as received (capped)."),
            _c("received_at:timestamp", "When it was set aside (UTC)."),
        ),
    )


WEB_PAGES = RawTable(
    "web_pages",
    "url",
    "One crawled article per canonical URL.",
    (
        _c("url!", "Canonical URL (rel=canonical on a crawled site, else the fetched URL)."),
        _c("site!", "Name of the configured web source."),
        _c("title", "Article title."),
        _c("author", "Byline as published, if any."),
        _c("published_at:timestamp", "Publication instant (UTC)."),
        _c("text!", "Extracted main text (NFC)."),
        _c("content_hash!", "sha256 hex of the text."),
        _c("lang_hint", "The html lang attribute."),
        _c("fetched_at:timestamp!", "When the crawler fetched the page (UTC)."),
        _c("http_etag", "ETag header, for conditional re-fetch."),
        _c("http_last_modified", "Last-Modified header, for conditional re-fetch."),
    ),
    optional=False,
)
WEB_COMMENTS = RawTable(
    "web_comments",
    "comment_id",
    "Comments found under crawled articles, threaded by parent_id.",
    (
        _c("comment_id!", 'page_url + "#" + the comment\'s local id.'),
        _c("page_url!", "The article the comment sits under."),
        _c("parent_id", "comment_id of the comment answered, null for a top-level comment."),
        _c("position:bigint!", "Order of the comment on the page."),
        _c("author", "Commenter's display name."),
        _c("published_at:timestamp", "Publication instant (UTC)."),
        _c("text!", "Comment text (NFC)."),
        _c("content_hash!", "sha256 hex of the text."),
        _c("fetched_at:timestamp!", "When the comment was fetched (UTC)."),
    ),
    optional=False,
)
HACKERNEWS_ITEMS = RawTable(
    "hackernews_items",
    "object_id",
    "Hacker News stories and comments found by the search API.",
    (
        _c("object_id!", "The item's id, the natural key."),
        _c("item_type", "story or comment."),
        _c("title", "Story title (null for comments)."),
        _c("text", "Plain text of the item."),
        _c("url", "The link a story points to."),
        _c("author", "HN user name."),
        _c("created_at:timestamp", "Posting instant (UTC)."),
        _c("parent_id", "object_id of the item answered (comments)."),
        _c("story_id", "object_id of the story at the root of the thread."),
        _c("points:bigint", "Story points."),
        _c("num_comments:bigint", "Comments on the story."),
        _QUERY,
        _FETCHED,
    ),
    optional=False,
)
MASTODON_POSTS = RawTable(
    "mastodon_posts",
    "uri",
    "Mastodon statuses found by hashtag timelines or search (boosts unwrapped).",
    (
        _c("uri!", "Status URI, the natural key (same on every instance)."),
        _c("instance", "Instance the status was read from."),
        _c("status_id", "Status id on that instance."),
        _c("author", "Account (acct)."),
        _c("author_name", "Display name."),
        _c("created_at:timestamp", "Posting instant (UTC)."),
        _c("title", "Always null (statuses have no title); kept for the common post shape."),
        _c("text", "Plain text of the status."),
        _c("spoiler_text", "Content warning."),
        _c("url", "Web link to the status."),
        _c("in_reply_to_id", "Status id answered (same instance)."),
        _c(
            "thread_id",
            "Status id (same instance) of the thread's root as far as collected; its own for a"
            " top-level status.",
        ),
        _c("language", "Declared language."),
        _c("replies_count:bigint", "Replies."),
        _c("reblogs_count:bigint", "Boosts."),
        _c("favourites_count:bigint", "Favourites."),
        _QUERY,
        _FETCHED,
    ),
)
BLUESKY_POSTS = RawTable(
    "bluesky_posts",
    "uri",
    "Bluesky posts found by search.",
    (
        _c("uri!", "at:// URI, the natural key."),
        _c("cid", "Content id of the record version."),
        _c("author", "Handle."),
        _c("author_did", "The author's DID."),
        _c("author_name", "Display name."),
        _c("created_at:timestamp", "Posting instant claimed by the record (UTC)."),
        _c("indexed_at:timestamp", "When the AppView indexed it (UTC)."),
        _c("title", "Always null (posts have no title); kept for the common post shape."),
        _c("text", "Post text."),
        _c("url", "Web link to the post."),
        _c("parent_uri", "Post answered."),
        _c("root_uri", "Thread root."),
        _c("language", "First declared language."),
        _c("reply_count:bigint", "Replies."),
        _c("repost_count:bigint", "Reposts."),
        _c("like_count:bigint", "Likes."),
        _c("quote_count:bigint", "Quotes."),
        _QUERY,
        _FETCHED,
    ),
)
REDDIT_POSTS = RawTable(
    "reddit_posts",
    "name",
    "Reddit submissions and comments found by search.",
    (
        _c("name!", "Fullname (t3_/t1_ + id), the natural key."),
        _c("kind", "submission or comment."),
        _c("post_id", "Id without the kind prefix."),
        _c("subreddit", "Subreddit."),
        _c("author", "Reddit user."),
        _c("created_at:timestamp", "Posting instant (UTC)."),
        _c("title", "Submission title (the thread's, for comments)."),
        _c("text", "Self text or comment body."),
        _c("url", "Permalink."),
        _c("link_url", "The link a submission points to."),
        _c("parent_id", "Fullname answered (comments)."),
        _c("link_id", "Submission at the root (comments)."),
        _c("score:bigint", "Score."),
        _c("num_comments:bigint", "Comments (submissions)."),
        _c("over_18:bool", "Marked NSFW."),
        _QUERY,
        _FETCHED,
    ),
)
FEED_ENTRIES = RawTable(
    "feed_entries",
    "entry_key",
    "RSS/Atom feed entries.",
    (
        _c("entry_key!", "sha256 of feed URL + entry id, the natural key."),
        _c("entry_id", "The entry's id (or a hash of title and text when it has none)."),
        _c("feed_url", "The feed read."),
        _c("feed_title", "Title of the feed."),
        _c("title", "Entry title."),
        _c("author", "Entry author."),
        _c("published_at:timestamp", "Publication instant (UTC)."),
        _c("updated_at:timestamp", "Last update instant (UTC)."),
        _c("text", "Entry text."),
        _c("url", "Entry link."),
        _c("language", "Declared language of the feed."),
        _c("matched_query", "Always null (feeds are read whole)."),
        _FETCHED,
    ),
)
IMPORT_POSTS = RawTable(
    "import_posts",
    "post_id",
    "Posts imported from JSONL/CSV exports (file_import, source_name import).",
    (
        _c("post_id!", "<platform or origin>:<original id or sha256>, the natural key."),
        _c("origin", "Import source name."),
        _c("platform", "Platform named in the export."),
        _c("original_id", "Id in the export."),
        _c("author", "Author."),
        _c("published_at:timestamp", "Publication instant (UTC)."),
        _c("title", "Title."),
        _c("text", "Text."),
        _c("url", "Link."),
        _c("parent_id", "Original id of the post answered."),
        _c(
            "thread_id",
            "Original id of the thread's root post (its own for a post answering none; null for a"
            " top-level post without id).",
        ),
        _c("lang", "Declared language."),
        _c("matched_query", "Always null (exports are read whole)."),
        _c("file", "Name of the file the record came from."),
        _c("fetched_at:timestamp", "When the record was imported (UTC)."),
    ),
)


def _event_columns(kind: str) -> tuple[Column, ...]:
    """The columns of an event of the corrections store (`core.corrections`)."""
    return (
        _c("event_id!", f"sha256 of the {kind}'s content: a re-import or a re-load adds nothing."),
        _c("mention_id!", "The mention (int_mentions' mention_id)."),
        _c("brand!", "The brand the value is about."),
        _c("field!", "The codebook field: sentiment, relevance, category (or contributor_type)."),
        _c("old_value", "The value before: the latest correction, else the model's."),
        _c("new_value!", "The value set."),
        _c("model_version", "Enrichment version of the model value it replaces."),
        _c("who!", "Who made it."),
        _c("made_at:timestamp!", "When it was made (UTC)."),
        _c("reason", "Why, in the person's words."),
    )


CORRECTIONS = RawTable(
    "corrections",
    "event_id",
    "People's corrections of the model (append-only events of the corrections store).",
    _event_columns("correction"),
)
CODING_ANSWERS = RawTable(
    "coding_answers",
    "event_id",
    "Coders' blind answers on double-coding samples (append-only events).",
    (
        *_event_columns("answer"),
        _c("coder!", "The coder."),
        _c("sample_id!", "The coding sample."),
        _c("item_id!", "The item within the sample."),
    ),
)

# Quarantine table names are `<source>_quarantine`; the import's source is its `source_name`.
QUARANTINE_SOURCES = ("web", "hackernews", "mastodon", "bluesky", "reddit", "feeds", "import")

RAW_TABLES: dict[str, RawTable] = {
    t.name: t
    for t in (
        WEB_PAGES,
        WEB_COMMENTS,
        HACKERNEWS_ITEMS,
        MASTODON_POSTS,
        BLUESKY_POSTS,
        REDDIT_POSTS,
        FEED_ENTRIES,
        IMPORT_POSTS,
        *(quarantine(s) for s in QUARANTINE_SOURCES),
        CORRECTIONS,
        CODING_ANSWERS,
    )
}

DLT_COLUMNS = ("_dlt_load_id", "_dlt_id")  # what dlt adds to every root table (not null text)


def create_table_sql(table: RawTable, schema: str = "raw") -> str:
    """DuckDB `create table` for `table` as dlt lands it (with dlt's own columns, in order)."""
    lines = [
        f"{c.name} {TYPES[c.type].duckdb}{' not null' if c.required else ''}" for c in table.columns
    ]
    lines += [f"{name} varchar not null" for name in DLT_COLUMNS]
    body = ",\n    ".join(lines)
    return f"create table {schema}.{table.name} (\n    {body}\n);"


def sources_yml() -> str:
    """The text of `_sources.yml`: dbt's `raw` source, every table and column with its type."""
    import yaml

    tables = []
    for table in RAW_TABLES.values():
        entry: dict[str, Any] = {"name": table.name}
        if table.optional:
            entry["description"] = (
                f"{table.description} Optional: no freshness check (the table only exists "
                "once its source is switched on)."
            )
            entry["config"] = {"freshness": None}
        else:
            entry["description"] = table.description
            entry["config"] = {"loaded_at_field": "fetched_at"}
        entry["columns"] = [
            {"name": c.name, "data_type": TYPES[c.type].dbt, "description": c.description}
            for c in table.columns
        ]
        tables.append(entry)
    source = {
        "name": "raw",
        "description": (
            "Collected posts as loaded by the dlt pipelines (dataset `raw`, merge on natural "
            "keys). Source and table names equal the dlt dataset and table names so lineage "
            "connects. Each data_type is the short name the staging models cast to (ecoute_type)."
        ),
        "schema": "raw",
        "config": {
            "freshness": {
                "warn_after": {"count": 2, "period": "day"},
                "error_after": {"count": 7, "period": "day"},
            }
        },
        "tables": tables,
    }
    header = (
        "# Generated from core/raw_schema.py by `python -m core.raw_schema`: do not edit.\n"
        "# tests/core/test_raw_schema.py fails when this file and the declaration differ.\n"
    )
    body = yaml.safe_dump(
        {"version": 2, "sources": [source]}, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body


def main() -> None:
    """Write `_sources.yml` from the declaration (`--check`: exit 1 when it is out of date)."""
    text = sources_yml()
    current = SOURCES_YML.read_text(encoding="utf-8") if SOURCES_YML.exists() else ""
    if "--check" in sys.argv[1:]:
        if current != text:
            sys.exit(f"{SOURCES_YML} is out of date: run python -m core.raw_schema")
        return
    if current != text:
        SOURCES_YML.write_text(text, encoding="utf-8")
        print(f"wrote {SOURCES_YML}")


if __name__ == "__main__":
    main()
