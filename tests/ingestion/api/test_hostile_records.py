"""Hostile records: every row conversion returns a row or raises its RecordError, nothing else.

Property tests feed generated records (random JSON, huge strings, lone surrogates, NUL bytes, deep
nesting, wrong types in every field, bad dates) to each source's pure conversion, starting from a
valid recorded item and breaking a few of its fields. The loopback tests then serve a mix of valid
and hostile items through each real pipeline: every item received is loaded or quarantined.
"""

from __future__ import annotations

import copy
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingestion.api.records import RecordError, parse_time, web_url
from ingestion.bluesky import post_to_row
from ingestion.feeds import entry_to_row, parse_feed
from ingestion.file_import import read_records, record_to_row
from ingestion.hackernews import hit_to_row
from ingestion.mastodon import status_to_row
from ingestion.reddit import thing_to_row

from .helpers import FAST, FIXTURES, count, fixture_json, make_config, rows, runs

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Deep(list[Any]):
    """A list nested `depth` deep whose repr stays short (failure reports print examples)."""

    def __init__(self, depth: int) -> None:
        inner: Any = []
        for _ in range(depth - 1):
            inner = [inner]
        super().__init__([inner])
        self.depth = depth

    def __repr__(self) -> str:
        return f"nested({self.depth})"


def nested(depth: int) -> Any:
    """A list nested `depth` deep, built without recursion."""
    return Deep(depth)


HOSTILE_TEXT = st.one_of(
    st.text(alphabet=st.characters(codec=None, exclude_categories=())),  # lone surrogates too
    st.sampled_from(
        [
            "",
            "\x00",
            "Nuage\x00",
            "r\udce9seau",
            "\ud800",
            "x" * 1_000_001,
            "9999-12-31T23:00:00-05:00",
            "0001-01-01T00:00:00+05:00",
            "2024-13-45T99:99:99Z",
            "١٢٣",
            "²",
            "nan",
            "1e400",
            "9" * 5000,
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "http://[::1",
            "<![if x]><p>",
            "<!x",
            "&#x110000;&#0;&#xd800;",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63), 10**400, 1e308, -1e308]),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
HOSTILE = st.one_of(SCALARS, JSON, st.integers(100, 50_000).map(nested))


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found += _paths(inner, (*prefix, key))
    return found


@st.composite
def broken(draw: st.DrawFn, base: Any) -> Any:
    """`base` with one to four fields (at any depth) replaced or removed; sometimes pure noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(HOSTILE)
    record = copy.deepcopy(base)
    paths = _paths(record)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        parent = record
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        if draw(st.booleans()) and draw(st.booleans()):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(HOSTILE)
    return record


def _valid(items: list[Any], convert: Any) -> Any:
    for item in items:
        try:
            convert(item)
            return item
        except RecordError:
            continue
    raise AssertionError("no valid recorded item")


def _row_or_record_error(convert: Any, record: Any) -> None:
    try:
        row = convert(record)
    except RecordError:
        return
    assert isinstance(row, dict)
    for name in ("url", "link_url"):
        if row.get(name) is not None:
            assert row[name].lower().startswith(("http://", "https://")), row[name]


def _hn(hit: Any) -> Any:
    return hit_to_row(hit, "Nuage")


def _mastodon(status: Any) -> Any:
    return status_to_row(status, "example.social", "#Nuage")


def _bluesky(post: Any) -> Any:
    return post_to_row(post, "Nuage")


def _reddit(thing: Any) -> Any:
    return thing_to_row(thing, "Nuage")


def _import(record: Any) -> Any:
    return record_to_row(record, "import", "x.jsonl")


FEED = parse_feed((FIXTURES / "feed_nuage_blog.rss").read_bytes())
HN_HIT = _valid(fixture_json("hn_search_by_date.json")["hits"], _hn)
STATUS = _valid(fixture_json("mastodon_tag_timeline.json"), _mastodon)
POST = _valid(fixture_json("bluesky_search_posts.json")["posts"], _bluesky)
THING = _valid(fixture_json("reddit_search_new.json")["data"]["children"], _reddit)
ENTRY = json.loads(json.dumps(dict(FEED.entries[0]), default=list))  # plain JSON-like dict
IMPORTED = {
    "id": "1",
    "platform": "twitter",
    "author": "@marc",
    "text": "Nuage",
    "title": "t",
    "url": "https://example.org/1",
    "parent_id": "0",
    "lang": "fr",
    "created_at": "2024-03-02T08:40:12Z",
}


@SETTINGS
@given(broken(HN_HIT))
def test_hackernews_hit(record: Any) -> None:
    _row_or_record_error(_hn, record)


@SETTINGS
@given(broken(STATUS))
def test_mastodon_status(record: Any) -> None:
    _row_or_record_error(_mastodon, record)


@SETTINGS
@given(broken(POST))
def test_bluesky_post(record: Any) -> None:
    _row_or_record_error(_bluesky, record)


@SETTINGS
@given(broken(THING))
@example({"kind": ["t3"], "data": {}})  # an unhashable kind once escaped as TypeError
def test_reddit_thing(record: Any) -> None:
    _row_or_record_error(_reddit, record)


@SETTINGS
@given(broken(ENTRY), st.one_of(st.just(dict(FEED.feed)), HOSTILE))
@example({"content": [None], "id": "x"}, {})  # a non-object content once escaped
def test_feed_entry(record: Any, feed: Any) -> None:
    _row_or_record_error(
        lambda entry: entry_to_row(entry, "https://blog.example/feed", feed), record
    )


@SETTINGS
@given(broken(IMPORTED))
def test_file_import_record(record: Any) -> None:
    _row_or_record_error(_import, record)


@SETTINGS
@given(st.one_of(HOSTILE, st.integers(1, 20_000).map(lambda d: "[" * d + "]" * d)))
def test_parse_time(value: Any) -> None:
    try:
        moment = parse_time(value, "t")
    except RecordError:
        return
    assert moment.tzinfo is not None


LINE = st.one_of(
    JSON.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.integers(1, 200_000).map(lambda d: b"[" * d + b"]" * d),
    st.sampled_from([b"9" * 5000, b'{"a": ' + b"1" * 5000 + b"}", b"\xff\xfe{}", b"{\x00}"]),
)


@SETTINGS
@given(st.lists(LINE, min_size=1, max_size=5), st.sampled_from([".jsonl", ".csv"]))
def test_file_import_reader_yields_every_line(lines: list[bytes], suffix: str) -> None:
    """Whatever the bytes, reading never raises; each JSONL line is one record or one reason."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(b"\n".join(lines) + b"\n")
        records = list(read_records(path, max_chars=100_000))
    for record, problem in records:
        assert problem is None or isinstance(problem, str)
        if problem is None:
            _row_or_record_error(_import, record)
    if suffix == ".jsonl":
        assert len(records) == sum(1 for line in b"\n".join(lines).split(b"\n") if line.strip())


def test_reasons_survive_values_too_big_to_print() -> None:
    """Hypothesis cannot carry a 5,000-digit int (its engine prints examples), so: by hand."""
    for value in (10**5000, nested(5000)):
        with pytest.raises(RecordError):
            parse_time(value, "t")
        with pytest.raises(RecordError, match="unsupported kind <"):
            thing_to_row({"kind": value, "data": {}}, "q")


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        " data:text/html,x",
        "file:///etc/passwd",
        "//x.org",
        "https:x",
    ],
)
def test_only_web_urls_are_kept(value: str) -> None:
    assert web_url(value, "url") is None
    assert web_url("HTTPS://example.org/a", "url") == "HTTPS://example.org/a"


# Loopback: a mix of valid and hostile items through each real pipeline.

NOW = int(datetime.now(UTC).timestamp())
SURROGATE, NUL = "r\udce9seau", "Nuage\x00"


def _served(items: list[Any]) -> str:
    return json.dumps(items)  # lone surrogates and NULs travel as \\u escapes


def _received_equals_kept(config: Any, table: str, quarantine: str, received: int) -> None:
    loaded, kept = count(config, table), count(config, quarantine)
    assert loaded > 0 and kept > 0
    assert loaded + kept == received
    links = rows(
        config, f"select url, {'link_url' if table == 'reddit_posts' else 'url'} from raw.{table}"
    )
    stored = [link for pair in links for link in pair if link is not None]
    assert all(link.lower().startswith(("http://", "https://")) for link in stored)


@pytest.mark.slow
def test_hackernews_mix(tmp_path, httpserver) -> None:
    good = [{**HN_HIT, "objectID": f"ok{i}", "created_at_i": NOW - i} for i in range(3)]
    bad = [
        {**HN_HIT, "objectID": "b1", "comment_text": SURROGATE},
        {**HN_HIT, "objectID": "b2", "created_at": "9999-12-31T23:00:00-05:00"},
        {**HN_HIT, "objectID": "b3", "_tags": nested(200)},
        {**HN_HIT, "objectID": 4},
        "not an object",
    ]
    items = good + bad + [{**HN_HIT, "objectID": "js", "url": "javascript:alert(1)"}]
    body = {"hits": items, "nbHits": len(items), "nbPages": 1, "page": 0, "hitsPerPage": 50}
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data(
        json.dumps(body), content_type="application/json"
    )
    section = {"base_url": httpserver.url_for("/api/v1"), "queries": ["Nuage"], **FAST}
    config = make_config(tmp_path, {"hackernews": {**section, "initial_days": 3650}})
    runs(config, "hackernews")
    _received_equals_kept(config, "hackernews_items", "hackernews_quarantine", len(items))


@pytest.mark.slow
def test_mastodon_mix(tmp_path, httpserver) -> None:
    def status(i: int, **changes: Any) -> dict[str, Any]:
        return {**STATUS, "id": str(i), "uri": f"https://example.social/s/{i}", **changes}

    items = [status(1), status(2), status(3, url="javascript:alert(1)")]
    items += [
        status(4, content=NUL),
        status(5, created_at="0001-01-01T00:00:00+05:00"),
        status(6, account=nested(300)),
        status(7, uri=["x"]),
    ]
    httpserver.expect_request("/api/v1/timelines/tag/Nuage").respond_with_data(
        _served(items), content_type="application/json"
    )
    section = {
        "instances": [httpserver.url_for("/").rstrip("/")],
        "hashtags": ["Nuage"],
        "initial_days": 3650,
        "page_size": 40,
        **FAST,
    }
    config = make_config(tmp_path, {"mastodon": section})
    runs(config, "mastodon")
    _received_equals_kept(config, "mastodon_posts", "mastodon_quarantine", len(items))


@pytest.mark.slow
def test_bluesky_mix(tmp_path, httpserver) -> None:
    def post(i: int, **changes: Any) -> dict[str, Any]:
        return {**POST, "uri": f"at://did:plc:x/app.bsky.feed.post/{i}", **changes}

    record = POST["record"]
    items: list[object] = [post(1), post(2)]
    items += [
        post(3, record={**record, "text": SURROGATE}),
        post(4, indexedAt="9999-12-31T23:00:00-05:00"),
        post(5, record={**record, "createdAt": nested(400)}),
        post(6, uri="https://not.at/uri"),
        [1, 2],
    ]
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_data(
        json.dumps({"posts": items}), content_type="application/json"
    )
    section = {
        "base_url": httpserver.url_for("/").rstrip("/"),
        "queries": ["Nuage"],
        "initial_days": 3650,
        **FAST,
    }
    config = make_config(tmp_path, {"bluesky": section})
    runs(config, "bluesky")
    _received_equals_kept(config, "bluesky_posts", "bluesky_quarantine", len(items))


@pytest.mark.slow
def test_reddit_mix(tmp_path, httpserver, monkeypatch) -> None:
    monkeypatch.delenv("REDDIT_CLIENT_ID", raising=False)
    monkeypatch.delenv("REDDIT_CLIENT_SECRET", raising=False)

    def thing(i: int, kind: Any = "t3", **changes: Any) -> dict[str, Any]:
        data = {**THING["data"], "id": f"p{i}", "name": f"t3_p{i}", "created_utc": NOW - i}
        return {"kind": kind, "data": {**data, **changes}}

    items = [thing(1), thing(2), thing(3, url="data:text/html,x"), thing(4, permalink="@evil.org")]
    items += [
        thing(5, kind=["t3"]),
        thing(6, title=NUL),
        thing(7, created_utc=1e300),
        thing(8, over_18="yes"),
    ]
    body = {"kind": "Listing", "data": {"children": items, "after": None}}
    httpserver.expect_request("/search.json").respond_with_data(
        json.dumps(body), content_type="application/json"
    )
    root = httpserver.url_for("/").rstrip("/")
    section = {"base_url": root, "oauth_base_url": root + "/oauth", "queries": ["Nuage"], **FAST}
    config = make_config(tmp_path, {"reddit": {**section, "initial_days": 3650}})
    runs(config, "reddit")
    _received_equals_kept(config, "reddit_posts", "reddit_quarantine", len(items))


@pytest.mark.slow
def test_feeds_mix(tmp_path, httpserver) -> None:
    entries = "".join(
        f"<item><guid>g{i}</guid><title>Nuage {i}</title><link>{link}</link></item>"
        for i, link in enumerate(["https://blog.example/1", "javascript:alert(1)", "file:///x"])
    )
    entries += "<item><description></description></item>"  # no id, link, title or content
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>{entries}</channel>'
    feed += "</rss>"
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    config = make_config(tmp_path, {"feeds": {"urls": [httpserver.url_for("/feed")], **FAST}})
    runs(config, "feeds")
    _received_equals_kept(config, "feed_entries", "feeds_quarantine", 4)


@pytest.mark.slow
def test_file_import_mix(tmp_path) -> None:
    good = [{**IMPORTED, "id": str(i)} for i in range(3)]
    lines = [json.dumps(r) for r in good]
    lines += [
        json.dumps({**IMPORTED, "id": "js", "url": "javascript:alert(1)"}),  # kept, url null
        json.dumps({**IMPORTED, "id": "s", "text": SURROGATE}),
        json.dumps({**IMPORTED, "id": "d", "created_at": "9999-12-31T23:00:00-05:00"}),
        json.dumps({**IMPORTED, "id": "t", "created_at": "²"}),
        "[" * 50_000 + "]" * 50_000,
        '{"id": ' + "9" * 5000 + "}",
        "{broken",
    ]
    (tmp_path / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = make_config(tmp_path, {"file_import": {"paths": ["export.jsonl"]}})
    runs(config, "file_import")
    _received_equals_kept(config, "import_posts", "import_quarantine", len(lines))
