"""What people answer on the page: alert status, "useful? yes/no", and event notes.

A small SQLite file beside the warehouse (`.ecoute/feedback.sqlite`), never the serving copy,
which stays read-only and is replaced by every build. Answers are keyed by `alert_id`, which is
stable as an episode grows, so they survive rebuilds and alert precision can be measured over time.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

Status = Literal["new", "acknowledged", "closed"]
STATUSES: tuple[Status, ...] = ("new", "acknowledged", "closed")

SCHEMA = """
create table if not exists alert_feedback (
    alert_id text primary key,
    status text not null default 'new' check (status in ('new', 'acknowledged', 'closed')),
    useful integer check (useful in (0, 1)),
    updated_at text not null
);
create table if not exists event_notes (
    note_id integer primary key autoincrement,
    brand text not null,
    day text not null,
    note text not null,
    created_at text not null
);
"""


@dataclass(frozen=True)
class AlertAnswer:
    status: Status = "new"
    useful: bool | None = None


@dataclass(frozen=True)
class Feedback:
    """The feedback file at `path` (created with its tables on first write)."""

    path: Path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=5)
        con.executescript(SCHEMA)
        return con

    def answers(self) -> dict[str, AlertAnswer]:
        if not self.path.exists():
            return {}
        with closing(self._connect()) as con:
            rows = con.execute("select alert_id, status, useful from alert_feedback").fetchall()
        return {
            alert_id: AlertAnswer(status, None if useful is None else bool(useful))
            for alert_id, status, useful in rows
        }

    def answer(self, alert_id: str, status: Status, useful: bool | None) -> None:
        if status not in STATUSES:
            raise ValueError(status)
        with closing(self._connect()) as con, con:
            con.execute(
                "insert into alert_feedback (alert_id, status, useful, updated_at) "
                "values (?, ?, ?, ?) on conflict (alert_id) do update set "
                "status = excluded.status, useful = excluded.useful, "
                "updated_at = excluded.updated_at",
                [alert_id, status, None if useful is None else int(useful), _now()],
            )

    def precision(self) -> tuple[float | None, int]:
        """Share of judged alerts answered useful, and how many were judged."""
        judged = [a.useful for a in self.answers().values() if a.useful is not None]
        return (sum(judged) / len(judged) if judged else None), len(judged)

    def notes(self, brands: list[str]) -> list[tuple[str, date, str]]:
        if not self.path.exists() or not brands:
            return []
        marks = ", ".join("?" for _ in brands)
        with closing(self._connect()) as con:
            rows = con.execute(
                f"select brand, day, note from event_notes where brand in ({marks}) order by day",
                brands,
            ).fetchall()
        return [(brand, date.fromisoformat(day), note) for brand, day, note in rows]

    def add_note(self, brand: str, day: date, note: str) -> None:
        with closing(self._connect()) as con, con:
            con.execute(
                "insert into event_notes (brand, day, note, created_at) values (?, ?, ?, ?)",
                [brand, day.isoformat(), note.strip(), _now()],
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
