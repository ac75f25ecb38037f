"""Posts exported by other tools (JSONL or CSV), so a user can bring history: `import_posts`.

One record per JSONL line or CSV row. Recognised fields (first present wins): id (`id`, `post_id`,
`external_id`), text (`text`, `content`, `body`, `message`), time (`published_at`, `created_at`,
`date`, `timestamp`: ISO 8601 or epoch seconds), `author`, `title`, `url`, `parent_id`, `platform`
(`platform`, `source`), `lang`. `text` and a time are required. Records without an id get a content
hash. A reply's `thread_id` is the original id of its thread's root (a reply to a reply gets the
first post, not its parent), resolved over every row of the file, whatever their order, and over
the reply links of earlier loads (kept in dlt state). Files unchanged since the last run (same
sha256) are skipped; a changed file is read again and merge on `post_id` keeps one row per record.
Whatever goes wrong with one line or row (broken JSON, nesting too deep, a cell over the csv
module's limit, a date out of range, or an error nobody foresaw) sends that record to the
quarantine table; the rest of the file still loads.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dlt

from core.config import EcouteConfig
from core.raw_schema import RAW_TABLES
from ingestion.api.records import (
    RecordError,
    check_text,
    keep_aside,
    note_parent,
    parse_time,
    thread_root,
    unexpected,
    utc_now,
    web_url,
)
from ingestion.api.stream import quarantine_hints

if TYPE_CHECKING:
    from dlt.extract.source import DltSource

log = logging.getLogger(__name__)

RAW = RAW_TABLES["import_posts"]  # named `<source_name>_posts`: `import_posts` by default
FIELDS = {
    "id": ("id", "post_id", "external_id"),
    "text": ("text", "content", "body", "message"),
    "time": ("published_at", "created_at", "date", "timestamp"),
    "author": ("author", "author_name", "user"),
    "title": ("title",),
    "url": ("url", "link", "permalink"),
    "parent_id": ("parent_id", "in_reply_to"),
    "platform": ("platform", "source"),
    "lang": ("lang", "language"),
}
_EPOCH = re.compile(r"\d+(\.\d*)?", re.ASCII)


def _pick(record: Mapping[str, Any], field: str) -> Any:
    for name in FIELDS[field]:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _text_field(record: Mapping[str, Any], field: str) -> str | None:
    value = _pick(record, field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"field {field!r} should be text, got {type(value).__name__}")
    try:
        text = str(value)
    except ValueError:  # an integer longer than Python's int-to-text limit
        raise RecordError(f"field {field!r} is a number too long to store") from None
    return check_text(text, field)


def record_to_row(record: Any, origin: str, file: str) -> dict[str, Any]:
    """One exported record as an `import_posts` row; RecordError when it is unusable."""
    if not isinstance(record, dict):
        raise RecordError(f"record should be an object, got {type(record).__name__}")
    text = _text_field(record, "text")
    if not text:
        raise RecordError(f"missing text (one of {', '.join(FIELDS['text'])})")
    when = _pick(record, "time")
    if isinstance(when, str) and _EPOCH.fullmatch(when.strip()):
        when = float(when)
    published = parse_time(when, "published_at")
    platform = _text_field(record, "platform")
    original = _text_field(record, "id")
    author = _text_field(record, "author")
    if original:
        post_id = f"{platform or origin}:{original}"
    else:
        digest = hashlib.sha256(f"{author}\x1f{published.isoformat()}\x1f{text}".encode())
        post_id = f"{platform or origin}:sha256:{digest.hexdigest()}"
    return {
        "post_id": post_id,
        "origin": origin,
        "platform": platform,
        "original_id": original,
        "author": author,
        "published_at": published,
        "title": _text_field(record, "title"),
        "text": text,
        "url": web_url(_text_field(record, "url"), "url"),
        "parent_id": _text_field(record, "parent_id"),
        "lang": _text_field(record, "lang"),
        "matched_query": None,
        "file": file,
        "fetched_at": utc_now(),
    }


def _thread_key(row: Mapping[str, Any], original: str) -> str:
    """A post's key among the reply links: ids only mean something within one platform."""
    return f"{row['platform'] or row['origin']}:{original}"


def set_thread_roots(rows: list[dict[str, Any]], parents: dict[str, str]) -> None:
    """Give each row the original id of its thread's root as `thread_id`, after noting the reply
    links of all `rows` in `parents` (the links of earlier loads are already there)."""
    for row in rows:
        if row["original_id"] and row["parent_id"]:
            key = _thread_key(row, row["original_id"])
            note_parent(parents, key, _thread_key(row, row["parent_id"]))
    for row in rows:
        start = row["parent_id"] or row["original_id"]
        if start is None:
            row["thread_id"] = None  # a top-level post without an id: its own thread
            continue
        prefix = _thread_key(row, "")
        row["thread_id"] = thread_root(parents, _thread_key(row, start)).removeprefix(prefix)


def read_records(path: Path, max_chars: int) -> Iterator[tuple[Any, str | None]]:
    """(record, None) per JSONL line / CSV row, or (raw payload, reason) when it cannot be read.

    Bytes are decoded with `surrogateescape`, so invalid UTF-8 survives as lone surrogates that the
    row check then refuses: the bad record is kept aside, its neighbours still load.
    """
    if path.suffix.lower() == ".csv":
        yield from _csv_records(path, max_chars)
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            line = raw.decode("utf-8", errors="surrogateescape")
            if len(line) > max_chars:
                yield raw[:max_chars], f"line {number}: longer than {max_chars} characters"
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield raw, f"line {number}: not valid JSON: {error}"
                continue
            except RecursionError:
                yield raw[:max_chars], f"line {number}: nested too deeply to parse (RecursionError)"
                continue
            except Exception as error:  # e.g. an integer over Python's digit limit
                yield raw[:max_chars], f"line {number}: {unexpected(error)}"
                continue
            yield record, None


class _Lines:
    """The lines a csv reader consumes, remembering the latest (the payload of a refused row)."""

    def __init__(self, handle: Iterator[str]) -> None:
        self.handle = handle
        self.last = ""
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        self.last = next(self.handle)
        self.count += 1
        return self.last


def _csv_records(path: Path, max_chars: int) -> Iterator[tuple[Any, str | None]]:
    """`read_records` for CSV: a row the csv module refuses (a cell over its field limit, ...) is
    kept aside by line and the reader goes on with the next line."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        lines = _Lines(handle)
        reader = csv.DictReader(lines)
        try:
            reader.fieldnames  # noqa: B018 (reads the header now, so its errors are caught here)
        except csv.Error as error:
            yield lines.last[:max_chars], f"CSV header unreadable, file skipped: {error}"
            return
        while True:
            before = lines.count
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield lines.last[:max_chars], f"CSV line {reader.line_num}: {error}"
                if lines.count == before:  # nothing consumed: the reader cannot move on
                    return
                continue
            if None in row:
                yield row, f"CSV line {reader.line_num}: more cells than header columns"
                continue
            yield row, None


def _files(config: EcouteConfig, patterns: list[str]) -> Iterator[tuple[str, Path | None]]:
    for pattern in patterns:
        resolved = config.resolve(pattern)
        matches = sorted(Path(p) for p in glob.glob(str(resolved)))
        if not matches:
            yield pattern, None
        for match in matches:
            yield pattern, match


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_import_source(config: EcouteConfig) -> DltSource:
    """The `file_import` dlt source: resource `<source_name>_posts` (+ its quarantine)."""
    section = config.sources.file_import
    if section is None:
        raise ValueError("sources.file_import is not configured (it needs at least one path)")
    origin = section.source_name

    @dlt.resource(
        name=f"{origin}_posts",
        write_disposition="merge",
        primary_key=RAW.key,
        columns=RAW.dlt_columns(),
    )
    def import_posts() -> Iterator[Any]:
        state = dlt.current.resource_state().setdefault("files", {})
        links = dlt.current.resource_state().setdefault("reply_links", {})
        stores_thread = "thread_id" in RAW.column_names  # until core.raw_schema declares it
        for pattern, path in _files(config, section.paths):
            if path is None or not path.is_file():
                log.error("file_import: %s matches no file (check file_import.paths)", pattern)
                yield keep_aside(origin, "no file matches this path", pattern)
                continue
            if path.suffix.lower() not in (".jsonl", ".ndjson", ".json", ".csv"):
                yield keep_aside(origin, "unsupported file type (use .jsonl or .csv)", str(path))
                continue
            checksum = _sha256(path)
            if state.get(str(path)) == checksum:
                log.info("file_import: %s unchanged since the last run", path.name)
                continue
            rows: list[dict[str, Any]] = []  # held back until the file's threads are known
            for record, problem in read_records(path, section.max_record_chars):
                if problem is not None:
                    yield keep_aside(origin, f"{path.name}: {problem}", record)
                    continue
                try:
                    rows.append(record_to_row(record, origin, path.name))
                except RecordError as error:
                    yield keep_aside(origin, f"{path.name}: {error}", record)
                except Exception as error:  # one record's surprise must not end the file
                    yield keep_aside(origin, f"{path.name}: {unexpected(error)}", record)
            set_thread_roots(rows, links)
            if not stores_thread:
                for row in rows:
                    del row["thread_id"]
            yield from rows
            state[str(path)] = checksum

    @dlt.source(name="file_import", max_table_nesting=0)
    def file_import() -> Any:
        return quarantine_hints(import_posts, origin)

    return file_import()
