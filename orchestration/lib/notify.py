"""Send an alert somewhere a person will see it: a log line, a webhook, Slack, or e-mail.

Each notifier takes an `Alert` and raises on failure (the caller decides what to retry); nothing
here logs a secret. `send_new_alerts` sends each alert id once, whoever calls it (the sensor or the
build job): a small SQLite ledger beside the warehouse records every id sent.
"""

from __future__ import annotations

import logging
import os
import smtplib
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from core import warehouse
from core.config import EcouteConfig, Notifier
from core.marts import Marts

log = logging.getLogger("ecoute.alerts")

LEDGER_FILE = "notified_alerts.sqlite"


@dataclass(frozen=True)
class Alert:
    """One row of `marts.mart_alerts`, in the words a reader needs."""

    alert_id: str
    brand: str
    day: str
    alert_type: str
    observed: float
    threshold: float
    top_keywords: str
    top_authors: str
    top_sources: str
    sentiment_change: float | None
    severity: str = ""

    def headline(self) -> str:
        what = "negative share" if self.alert_type == "negative_spike" else "volume"
        observed = f"{self.observed:.0%}" if self.alert_type == "negative_spike" else self.observed
        level = f" [{self.severity}]" if self.severity else ""
        return f"[Écoute]{level} {self.brand}: {what} spike on {self.day} ({observed})"

    def body(self) -> str:
        change = "n/a" if self.sentiment_change is None else f"{self.sentiment_change:+.2f}"
        return (
            f"{self.headline()}\n"
            f"threshold: {self.threshold:.3g}; sentiment change vs baseline: {change}\n"
            f"top keywords: {self.top_keywords}\n"
            f"top authors: {self.top_authors}\n"
            f"sources: {self.top_sources}"
        )


def _secret(name: str | None) -> str | None:
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"notifier: environment variable {name} is not set")
    return value


def send(notifier: Notifier, alert: Alert | RunFailure) -> None:
    """Deliver one alert or run failure through the configured channel (a webhook receives the
    message's fields under `alert`)."""
    if notifier.kind == "log":
        log.warning(alert.body())
        return
    if notifier.kind in ("webhook", "slack"):
        url = _secret(notifier.url_env) or notifier.url
        if not url:
            raise RuntimeError(f"notifier: {notifier.kind} has no URL")
        payload: dict[str, Any] = (
            {"text": alert.body()} if notifier.kind == "slack" else {"alert": asdict(alert)}
        )
        response = requests.post(url, json=payload, timeout=notifier.timeout_s)
        if response.status_code >= 300:
            raise RuntimeError(f"notifier: {notifier.kind} answered HTTP {response.status_code}")
        return
    message = EmailMessage()
    message["Subject"] = alert.headline()
    message["From"] = notifier.sender
    message["To"] = ", ".join(notifier.recipients)
    message.set_content(alert.body())
    with smtplib.SMTP(notifier.smtp_host, notifier.smtp_port, timeout=notifier.timeout_s) as smtp:
        if notifier.smtp_starttls:
            smtp.starttls()
        user = _secret(notifier.smtp_user_env)
        if user:
            smtp.login(user, _secret(notifier.smtp_password_env) or "")
        smtp.send_message(message)


def published_alerts(config: EcouteConfig) -> list[Alert]:
    """Every alert in the published marts, oldest first (raises `NoData` before a first build)."""
    marts = Marts(config)
    columns = set(marts.query("select * from marts.mart_alerts limit 0").columns)
    severity = "severity" if "severity" in columns else "cast(null as varchar) as severity"
    rows = marts.query(
        "select alert_id, brand, cast(day as varchar) as day, alert_type, observed, threshold, "
        f"top_keywords, top_authors, top_sources, sentiment_change, {severity} "
        "from marts.mart_alerts order by day, alert_id"
    )
    records: list[dict[str, Any]] = rows.to_dict("records")
    return [_alert(row) for row in records]


def _alert(row: dict[str, Any]) -> Alert:
    """An `Alert` from one mart row (text columns may be null: empty, not "None")."""

    def text(name: str) -> str:
        return "" if pd.isna(row[name]) else str(row[name])

    change = row["sentiment_change"]
    return Alert(
        alert_id=text("alert_id"),
        brand=text("brand"),
        day=text("day"),
        alert_type=text("alert_type"),
        observed=float(row["observed"]),
        threshold=float(row["threshold"]),
        top_keywords=text("top_keywords"),
        top_authors=text("top_authors"),
        top_sources=text("top_sources"),
        sentiment_change=None if pd.isna(change) else float(change),
        severity=text("severity") if "severity" in row else "",
    )


def ledger_path(config: EcouteConfig) -> Path:
    """`notified_alerts.sqlite` beside the build database: the ids already sent."""
    return warehouse.duckdb_path(config).parent / LEDGER_FILE


def _ledger(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute(
        "create table if not exists notified_alerts "
        "(alert_id text primary key, sent_at text not null, sent_by text not null)"
    )
    return con


def sent_alert_ids(config: EcouteConfig) -> set[str]:
    """Every alert id the ledger records as sent."""
    with closing(_ledger(ledger_path(config))) as con:
        return {row[0] for row in con.execute("select alert_id from notified_alerts")}


def send_new_alerts(config: EcouteConfig, alerts: Iterable[Alert], sender: str) -> list[str]:
    """Send each alert whose id the ledger does not hold, oldest first; the ids sent.

    Each id is claimed in the ledger before it is sent (one insert: of two senders at the same
    time, one wins), and the claim is withdrawn when the channel fails, so the alert is sent
    again by the next caller and never twice. The first failure stops the round and is raised.
    """
    sent: list[str] = []
    with closing(_ledger(ledger_path(config))) as con:
        for alert in alerts:
            claimed = con.execute(
                "insert or ignore into notified_alerts values (?, ?, ?)",
                [alert.alert_id, datetime.now(UTC).isoformat(), sender],
            ).rowcount
            if not claimed:
                continue
            try:
                send(config.monitoring.notifier, alert)
            except Exception:
                con.execute("delete from notified_alerts where alert_id = ?", [alert.alert_id])
                raise
            sent.append(alert.alert_id)
    return sent


@dataclass(frozen=True)
class RunFailure:
    """A failed Dagster run, in the words a reader needs: which job, which steps, why."""

    job: str
    run_id: str
    failed_steps: str
    reason: str

    def headline(self) -> str:
        return f"[Écoute] run of {self.job} failed ({self.run_id[:8]})"

    def body(self) -> str:
        return (
            f"{self.headline()}\n"
            f"failed steps: {self.failed_steps or 'none (the run itself failed)'}\n"
            f"reason: {self.reason}\n"
            f"run id: {self.run_id}"
        )
