"""What the API sources (Hacker News, Mastodon, Bluesky, Reddit, feeds) do alike; it lives beside
`records` and `client`, the other helpers they share.

Column hints come from `core.raw_schema`; `quarantine_hints` gives a resource's quarantine rows
theirs. `read_stream` turns one stream's hits into rows: a page that cannot be read or a hit that
cannot be parsed (a RecordError, or any other exception: one item never ends the stream) is kept
aside in `<source>_quarantine`, a row already yielded in this run is dropped, and the caller learns
whether the stream was read to its end and the newest cursor value it reached. `Cursor` is a
stream's position in dlt state: where to start (the saved value minus an overlap, or the first-run
start) and how to move it on. Paging and parsing stay in each source.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.raw_schema import quarantine
from ingestion.api.records import RecordError, keep_aside, matching_queries, unexpected

if TYPE_CHECKING:
    from dlt.extract.resource import DltResource


def quarantine_hints(resource: DltResource, source: str) -> DltResource:
    """`resource` with the declared hints for `<source>_quarantine`, the table variant its
    `keep_aside` rows go to; dlt would otherwise give that variant every column of the resource.
    """
    table = quarantine(source)
    resource.apply_hints(table_name=table.name, columns={}, create_table_variant=True)
    resource.apply_hints(
        table_name=table.name,
        write_disposition="merge",
        primary_key=table.key,
        columns=table.dlt_columns(),
        create_table_variant=True,
    )
    return resource


@dataclass
class StreamProgress:
    """How far `read_stream` got: `complete` unless a page could not be read; `newest` cursor."""

    complete: bool = True
    newest: Any = None


def read_stream(
    source: str,
    hits: Iterable[tuple[Any, str | None]],
    to_row: Callable[[Any], dict[str, Any]],
    key: str,
    seen: set[str],
    cursor_of: Callable[[dict[str, Any]], Any] | None = None,
    newest: Any = None,
    terms: Sequence[str] = (),
) -> Generator[Any, None, StreamProgress]:
    """Rows of one stream (use with `progress = yield from read_stream(...)`).

    `hits` yields (hit, None), or (payload, reason) for a page that cannot be read (that stream is
    then incomplete). `seen` holds the `key` values already yielded in this run (shared by the
    streams of one resource). `cursor_of`, when given, reads each parsed row's cursor value;
    `newest` starts as the given value and ends as the largest seen. With `terms` (every query of
    the resource), a row's `matched_query` is the terms its own title and text contain, so a post
    re-read through another stream (the cursor overlap) is not rewritten.
    """
    progress = StreamProgress(newest=newest)
    for hit, problem in hits:
        if problem is not None:
            progress.complete = False
            yield keep_aside(source, problem, hit)
            continue
        try:
            row = to_row(hit)
        except RecordError as error:
            yield keep_aside(source, str(error), hit)
            continue
        except Exception as error:  # one odd item must not end the stream
            yield keep_aside(source, unexpected(error), hit)
            continue
        if cursor_of is not None:
            progress.newest = max(progress.newest, cursor_of(row))
        if row[key] not in seen:
            seen.add(row[key])
            if terms:
                words = f"{row.get('title') or ''} {row.get('text') or ''}"
                row["matched_query"] = matching_queries(words, list(terms), row["matched_query"])
            yield row
    return progress


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Cursor:
    """One resource's incremental positions in dlt state, one entry per stream key.

    `load` turns a stored value into a comparable one and `dump` back (e.g. ISO text for a
    datetime); `overlap` is subtracted from the saved position so late-indexed posts are not lost.
    """

    state: MutableMapping[str, Any]
    start: Any
    overlap: Any
    load: Callable[[Any], Any] = field(default=_same)
    dump: Callable[[Any], Any] = field(default=_same)

    def since(self, key: str) -> Any:
        """Where the stream starts: the saved position minus the overlap, else `start`."""
        return self.load(self.state[key]) - self.overlap if key in self.state else self.start

    def advance(self, key: str, newest: Any, since: Any) -> None:
        """Save `newest` when it is past `since` (never moving a saved position backwards)."""
        if newest > since:
            if key in self.state:
                newest = max(newest, self.load(self.state[key]))
            self.state[key] = self.dump(newest)
