"""People's corrections of the model and coders' answers: an append-only store of events.

The store is a SQLite file of its own beside the warehouse (`corrections.sqlite`), never the
serving copy (which stays read-only) nor the build database (which a build holds locked): the
page and the CLI may write it at any time, and the next build loads it into `raw` with dlt
(`ingestion/corrections`), where dbt applies the latest correction per (mention, brand, field).

Each event's `event_id` is a hash of its content, and the tables only ever `insert or ignore`:
re-importing a file adds nothing, a load that was killed and re-run merges the same ids, and
nothing stored is ever updated or deleted. An event made at the page carries its instant in the
hash (two clicks are two events); an imported row without an `at` column does not (re-import).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import warehouse
from core.codebook import CORRECTABLE_FIELDS, Codebook, project_codebook

if TYPE_CHECKING:
    from core.config import EcouteConfig

STORE_FILE = "corrections.sqlite"
IMPORT_COLUMNS = ("mention_id", "brand", "field", "value", "who", "reason")

CORRECTIONS = "corrections"
CODING_ANSWERS = "coding_answers"
CODING_ASSIGNMENTS = "coding_assignments"

_EVENT_COLUMNS = (
    "event_id text primary key, mention_id text not null, brand text not null, "
    "field text not null, old_value text, new_value text not null, model_version text, "
    "who text not null, made_at text not null, reason text"
)
_DDL = (
    f"create table if not exists {CORRECTIONS} ({_EVENT_COLUMNS})",
    f"create table if not exists {CODING_ANSWERS} ({_EVENT_COLUMNS}, "
    "coder text not null, sample_id text not null, item_id text not null)",
    f"create table if not exists {CODING_ASSIGNMENTS} (sample_id text not null, "
    "item_id text not null, mention_id text not null, brand text not null, coder text not null, "
    "lang text, source text, model_label text, drawn_at text not null, "
    "primary key (sample_id, item_id, coder))",
)


class CorrectionError(ValueError):
    """A correction that cannot be stored; the message names the row or the value."""


@dataclass(frozen=True)
class Event:
    """One correction (or, with `coder`/`sample_id`/`item_id`, one coding answer)."""

    event_id: str
    mention_id: str
    brand: str
    field: str
    old_value: str | None
    new_value: str
    model_version: str | None
    who: str
    made_at: str
    reason: str | None


@dataclass
class ImportResult:
    added: int = 0
    duplicates: int = 0
    refused: list[str] = field(default_factory=list)


def store_path(config: EcouteConfig) -> Path:
    """`corrections.sqlite` beside the build database (created with its folder on first use)."""
    return warehouse.duckdb_path(config).parent / STORE_FILE


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """The store, with its tables; commits on success (one transaction per call)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=10)) as con:
        con.row_factory = sqlite3.Row
        with con:
            for statement in _DDL:
                con.execute(statement)
            yield con


def event_id(*parts: str | None) -> str:
    """sha256 of the parts (None and "" alike), the event's stable identity."""
    text = json.dumps([p or "" for p in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class Checker:
    """What a correction is checked against: brands, the codebook and, when built, the marts."""

    brands: set[str]
    codebook: Codebook
    known: dict[tuple[str, str], tuple[str | None, str | None]] | None = None
    """(mention_id, brand) → (model sentiment, model version) from the marts; None: no build."""
    mentions: set[str] | None = None

    @classmethod
    def for_project(cls, config: EcouteConfig) -> Checker:
        checker = cls({b.name for b in config.brands}, project_codebook(config))
        checker._read_marts(config)
        return checker

    def _read_marts(self, config: EcouteConfig) -> None:
        from core.marts import Marts, NoData

        marts = Marts(config)
        try:
            mentions = marts.query("select mention_id from marts.fct_mentions")
            brands = marts.query(
                "select mention_id, brand, sentiment_label, enrichment_version "
                "from marts.fct_brand_mentions"
            )
        except NoData:
            return
        self.mentions = set(mentions["mention_id"])
        self.known = {
            (r.mention_id, r.brand): (r.sentiment_label, r.enrichment_version)
            for r in brands.itertuples()
        }

    def problem(self, mention_id: str, brand: str, field: str, value: str, who: str) -> str | None:
        """Why this correction is refused, or None."""
        if not mention_id:
            return "mention_id is empty"
        if not who:
            return "who is empty (a correction is who-stamped)"
        if brand not in self.brands:
            return f"unknown brand {brand!r} (ecoute.yml brands: {sorted(self.brands)})"
        if field not in CORRECTABLE_FIELDS:
            return f"field {field!r} is not one of {list(CORRECTABLE_FIELDS)}"
        wrong = self.codebook.check(field, value)
        if wrong:
            return wrong
        if self.mentions is not None and mention_id not in self.mentions:
            return f"unknown mention id {mention_id!r} (not in the last build)"
        return None

    def model_value(self, mention_id: str, brand: str, field: str) -> tuple[str | None, str | None]:
        """The model's value of `field` for this mention and brand, and the model version."""
        label, version = (self.known or {}).get((mention_id, brand), (None, None))
        if field == "sentiment":
            return label, version
        if field == "relevance" and (mention_id, brand) in (self.known or {}):
            return "about", version  # the model matched the brand
        return None, version


def _latest(con: sqlite3.Connection, mention_id: str, brand: str, field: str) -> str | None:
    row = con.execute(
        f"select new_value from {CORRECTIONS} where mention_id = ? and brand = ? and field = ? "
        "order by made_at desc, event_id desc limit 1",
        [mention_id, brand, field],
    ).fetchone()
    return None if row is None else str(row[0])


def _insert(con: sqlite3.Connection, table: str, event: Event, extra: Mapping[str, str]) -> bool:
    values = {**event.__dict__, **extra}
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = con.execute(
        f"insert or ignore into {table} ({names}) values ({marks})", list(values.values())
    )
    return cursor.rowcount == 1


def _event(
    con: sqlite3.Connection,
    checker: Checker,
    row: Mapping[str, str],
    at: str | None,
    identity: Sequence[str | None],
) -> Event:
    mention_id, brand, field_ = row["mention_id"], row["brand"], row["field"]
    old_model, version = checker.model_value(mention_id, brand, field_)
    old = _latest(con, mention_id, brand, field_) or old_model
    return Event(
        event_id=event_id(*identity),
        mention_id=mention_id,
        brand=brand,
        field=field_,
        old_value=old,
        new_value=row["value"],
        model_version=version,
        who=row["who"],
        made_at=at or _now(),
        reason=row.get("reason") or None,
    )


def _clean(row: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v).strip() for k, v in row.items() if k is not None and v is not None}


def add_correction(
    config: EcouteConfig,
    mention_id: str,
    brand: str,
    field: str,
    value: str,
    who: str,
    reason: str | None = None,
    checker: Checker | None = None,
) -> Event:
    """Store one correction made now (the page's button); CorrectionError names what is wrong."""
    checker = checker or Checker.for_project(config)
    row = _clean(dict(mention_id=mention_id, brand=brand, field=field, value=value, who=who))
    row["reason"] = (reason or "").strip()
    wrong = checker.problem(row["mention_id"], row["brand"], row["field"], row["value"], row["who"])
    if wrong:
        raise CorrectionError(wrong)
    at = _now()
    with connect(store_path(config)) as con:
        event = _event(con, checker, row, at, [*(row[c] for c in IMPORT_COLUMNS), at])
        _insert(con, CORRECTIONS, event, {})
    return event


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV or JSONL corrections file (JSONL: one object a line)."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        rows = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                rows.append({"_error": f"line {number}: not valid JSON ({error.msg})"})
                continue
            rows.append(_clean(record) if isinstance(record, dict) else {"_error": "not an object"})
        return rows
    with path.open(encoding="utf-8", newline="") as handle:
        return [_clean(row) for row in csv.DictReader(handle)]


def import_file(
    config: EcouteConfig, path: str | Path, checker: Checker | None = None
) -> ImportResult:
    """Store every valid row of a corrections file; refused rows are listed by row number.

    Columns: `mention_id, brand, field, value, who, reason` (and optionally `at`, ISO 8601).
    """
    file = Path(path)
    checker = checker or Checker.for_project(config)
    result = ImportResult()
    rows = read_rows(file)
    with connect(store_path(config)) as con:
        for number, row in enumerate(rows, 1):
            where = f"row {number}"
            if "_error" in row:
                result.refused.append(f"{where}: {row['_error']}")
                continue
            missing = [c for c in IMPORT_COLUMNS if c not in row and c != "reason"]
            if missing:
                result.refused.append(f"{where}: missing column(s) {missing}")
                continue
            wrong = checker.problem(
                row["mention_id"], row["brand"], row["field"], row["value"], row["who"]
            )
            if wrong:
                result.refused.append(f"{where} ({row['mention_id']}): {wrong}")
                continue
            at = row.get("at") or None
            if at:
                try:
                    at = datetime.fromisoformat(at).astimezone(UTC).isoformat()
                except ValueError:
                    result.refused.append(f"{where}: at {at!r} is not an ISO 8601 instant")
                    continue
            identity = [*(row.get(c) for c in IMPORT_COLUMNS), at]
            event = _event(con, checker, row, at, identity)
            if _insert(con, CORRECTIONS, event, {}):
                result.added += 1
            else:
                result.duplicates += 1
    return result


def add_answer(
    config: EcouteConfig,
    sample_id: str,
    item_id: str,
    coder: str,
    field: str,
    value: str,
    reason: str | None = None,
) -> Event:
    """Store a coder's answer on an assigned item (blind: no model value is shown or stored)."""
    codebook = project_codebook(config)
    wrong = codebook.check(field, value)
    if wrong:
        raise CorrectionError(wrong)
    with connect(store_path(config)) as con:
        assigned = con.execute(
            f"select mention_id, brand from {CODING_ASSIGNMENTS} "
            "where sample_id = ? and item_id = ? and coder = ?",
            [sample_id, item_id, coder],
        ).fetchone()
        if assigned is None:
            raise CorrectionError(f"item {item_id!r} of sample {sample_id!r} is not {coder}'s")
        at = _now()
        event = Event(
            event_id(sample_id, item_id, coder, field, value, at),
            assigned["mention_id"],
            assigned["brand"],
            field,
            None,
            value,
            None,
            coder,
            at,
            reason,
        )
        _insert(
            con,
            CODING_ANSWERS,
            event,
            {"coder": coder, "sample_id": sample_id, "item_id": item_id},
        )
    return event


def corrections(config: EcouteConfig) -> list[Event]:
    """Every stored correction, oldest first."""
    with connect(store_path(config)) as con:
        rows = con.execute(f"select * from {CORRECTIONS} order by made_at, event_id").fetchall()
    return [Event(**dict(row)) for row in rows]


def rows(config: EcouteConfig, table: str) -> list[dict[str, Any]]:
    """Every row of one store table (what the dlt source loads), in a stable order."""
    if table not in {CORRECTIONS, CODING_ANSWERS, CODING_ASSIGNMENTS}:
        raise ValueError(f"unknown store table {table!r}")
    path = store_path(config)
    if not path.exists():
        return []
    with connect(path) as con:
        return [dict(r) for r in con.execute(f"select * from {table} order by 1, 2").fetchall()]


@dataclass(frozen=True)
class Assignment:
    """One item of a coding sample given to one coder (the model label is never shown)."""

    sample_id: str
    item_id: str
    mention_id: str
    brand: str
    coder: str
    lang: str | None
    source: str | None
    model_label: str | None
    drawn_at: str


def save_assignments(config: EcouteConfig, assignments: Sequence[Assignment]) -> int:
    """Store a drawn sample's assignments (a re-run of the same sample adds nothing)."""
    with connect(store_path(config)) as con:
        added = 0
        for a in assignments:
            cursor = con.execute(
                f"insert or ignore into {CODING_ASSIGNMENTS} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    a.sample_id,
                    a.item_id,
                    a.mention_id,
                    a.brand,
                    a.coder,
                    a.lang,
                    a.source,
                    a.model_label,
                    a.drawn_at,
                ],
            )
            added += cursor.rowcount
    return added


def queue(config: EcouteConfig, coder: str, sample_id: str | None = None) -> list[dict[str, str]]:
    """A coder's blind queue: assigned items still without an answer for some codebook field.

    Holds the item and the mention to show, never the model label nor another coder's answer.
    """
    fields = project_codebook(config).fields
    with connect(store_path(config)) as con:
        rows = con.execute(
            f"select a.sample_id, a.item_id, a.mention_id, a.brand from {CODING_ASSIGNMENTS} a "
            "where a.coder = ? and (? is null or a.sample_id = ?) "
            f"and (select count(distinct field) from {CODING_ANSWERS} c where c.coder = a.coder "
            "and c.sample_id = a.sample_id and c.item_id = a.item_id) < ? "
            "order by a.sample_id, a.item_id",
            [coder, sample_id, sample_id, len(fields)],
        ).fetchall()
    return [dict(r) for r in rows]


def stored_codes(
    config: EcouteConfig, sample_id: str | None = None
) -> list[tuple[str, str, str, str]]:
    """(item, coder, field, value) of every coding answer, the latest per item, coder and field.

    The item is `mention_id|brand`, so the same mention coded in two samples is one unit.
    """
    path = store_path(config)
    if not path.exists():
        return []
    with connect(path) as con:
        rows = con.execute(
            f"select mention_id || '|' || brand, coder, field, new_value, made_at, event_id "
            f"from {CODING_ANSWERS} where ? is null or sample_id = ? order by made_at, event_id",
            [sample_id, sample_id],
        ).fetchall()
    latest: dict[tuple[str, str, str], str] = {}
    for item, coder, field_, value, _at, _id in rows:
        latest[(item, coder, field_)] = value
    return [(item, coder, field_, value) for (item, coder, field_), value in latest.items()]


def drop_marts_missing_corrections(config: EcouteConfig) -> list[str]:
    """Drop the incremental marts when `raw` holds corrections the last dbt build did not apply.

    Incremental marts rewrite only re-enriched mentions, so a correction of an older mention would
    never reach them: the next build rebuilds them whole instead. `int_corrections_latest` (a
    table) records the events the last build applied; the check runs on every build, so a build
    killed anywhere between the load and dbt still rebuilds the marts next time, and applies
    each event once. DuckDB only (on Postgres the marts are left to a `--full-refresh`).
    """
    from core.privacy import INCREMENTAL_MARTS

    if warehouse.engine(config) != "duckdb":
        return []
    with warehouse.connect(config) as con:
        tables = {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        if ("raw", CORRECTIONS) not in tables:
            return []
        (loaded,) = con.execute(
            f"select count(distinct event_id) from raw.{CORRECTIONS}"
        ).fetchone() or (0,)
        applied = 0
        if ("intermediate", "int_corrections_latest") in tables:
            (applied,) = con.execute(
                "select coalesce(sum(corrections_count), 0) "
                "from intermediate.int_corrections_latest"
            ).fetchone() or (0,)
        if loaded == applied:
            return []
        dropped = [f"marts.{t}" for t in INCREMENTAL_MARTS if ("marts", t) in tables]
        for table in dropped:
            con.execute(f"drop table {table}")
    return dropped


def latest_corrections(config: EcouteConfig) -> dict[tuple[str, str, str], Event]:
    """The correction in force per (mention, brand, field): the latest event (what dbt applies)."""
    latest: dict[tuple[str, str, str], Event] = {}
    if not store_path(config).exists():
        return latest
    for event in corrections(config):  # oldest first: a later event replaces an earlier one
        latest[(event.mention_id, event.brand, event.field)] = event
    return latest


def coders(config: EcouteConfig) -> list[str]:
    """Every coder given at least one item, by name."""
    if not store_path(config).exists():
        return []
    with connect(store_path(config)) as con:
        found = con.execute(f"select distinct coder from {CODING_ASSIGNMENTS} order by coder")
        return [str(row[0]) for row in found.fetchall()]


def progress(config: EcouteConfig, coder: str) -> tuple[int, int]:
    """(items fully coded, items assigned) for one coder, over every sample."""
    if not store_path(config).exists():
        return 0, 0
    with connect(store_path(config)) as con:
        (total,) = con.execute(
            f"select count(*) from {CODING_ASSIGNMENTS} where coder = ?", [coder]
        ).fetchone()
    return total - len(queue(config, coder)), total


def gold_sentiment(config: EcouteConfig) -> list[tuple[str, str, str, str]]:
    """(mention, brand, label, origin) people vouch for: the sentiment correction in force, else
    the coders' answer when at least two coders gave the same one and nobody another.

    A correction made after a disagreement is how a coded item is adjudicated, so corrections
    win over codes (as in `mart_model_agreement`).
    """
    gold = {
        (m, b): (e.new_value, "correction")
        for (m, b, f), e in latest_corrections(config).items()
        if f == "sentiment"
    }
    answers: dict[str, dict[str, str]] = {}
    for item, coder, field_, value in stored_codes(config):
        if field_ == "sentiment":
            answers.setdefault(item, {})[coder] = value
    for item, by_coder in answers.items():
        mention_id, _, brand = item.rpartition("|")
        values = set(by_coder.values())
        if len(by_coder) >= 2 and len(values) == 1 and (mention_id, brand) not in gold:
            gold[(mention_id, brand)] = (values.pop(), "coding")
    return sorted((m, b, label, origin) for (m, b), (label, origin) in gold.items())


def own_answers(config: EcouteConfig, coder: str, sample_id: str, item_id: str) -> dict[str, str]:
    """A coder's own latest answer per field on one item (never another coder's)."""
    if not store_path(config).exists():
        return {}
    with connect(store_path(config)) as con:
        found = con.execute(
            f"select field, new_value from {CODING_ANSWERS} where coder = ? and sample_id = ? "
            "and item_id = ? order by made_at, event_id",
            [coder, sample_id, item_id],
        ).fetchall()
    return {str(field_): str(value) for field_, value in found}


def samples(config: EcouteConfig) -> list[str]:
    """Every drawn sample, newest first."""
    if not store_path(config).exists():
        return []
    with connect(store_path(config)) as con:
        found = con.execute(
            f"select sample_id from {CODING_ASSIGNMENTS} group by sample_id "
            "order by max(drawn_at) desc, sample_id desc"
        )
        return [str(row[0]) for row in found.fetchall()]
