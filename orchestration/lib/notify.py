"""Send an alert somewhere a person will see it: a log line, a webhook, Slack, or e-mail.

Each notifier takes an `Alert` and raises on failure (the caller decides what to retry); nothing
here logs a secret.
"""

from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Any

import pandas as pd
import requests

from core.config import EcouteConfig, Notifier
from core.marts import Marts

log = logging.getLogger("ecoute.alerts")


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

    def headline(self) -> str:
        what = "negative share" if self.alert_type == "negative_spike" else "volume"
        observed = f"{self.observed:.0%}" if self.alert_type == "negative_spike" else self.observed
        return f"[Écoute] {self.brand}: {what} spike on {self.day} ({observed})"

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
    rows = Marts(config).query(
        "select alert_id, brand, cast(day as varchar) as day, alert_type, observed, threshold, "
        "top_keywords, top_authors, top_sources, sentiment_change "
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
    )


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
