"""Machine-readable dates of web pages as aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

EPOCH_MIN, EPOCH_MAX = 100_000_000, 10_000_000_000  # 1973 .. 2286, in seconds


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601, RFC 822 or Unix-epoch date string as an aware UTC datetime (naive = UTC)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit() and EPOCH_MIN <= int(value) < EPOCH_MAX:
        return datetime.fromtimestamp(int(value), UTC)
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


MAX_TEXT_DATE_CHARS = 80
TEXT_DATE_SETTINGS = {
    "STRICT_PARSING": True,  # day, month and year, all written
    "PARSERS": ["custom-formats", "absolute-time"],  # never "2 days ago" (relative to what?)
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
}


def parse_text_date(text: str | None, lang: str | None = None) -> datetime | None:
    """A date written for people ("17 janvier 2024 à 12 h 41", "September 17, 2014 - 1:01 pm").

    The site's time zone is unknown, so the wall time is read as UTC. Relative dates and dates
    missing their day, month or year give None.
    """
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_TEXT_DATE_CHARS or not any(c.isdigit() for c in text):
        return None
    import dateparser  # type: ignore[import-untyped]

    for languages in ([lang], None) if lang else (None,):
        try:
            parsed = dateparser.parse(text, languages=languages, settings=TEXT_DATE_SETTINGS)
        except (ValueError, TypeError, OverflowError):
            continue
        if parsed is not None:
            return parsed.astimezone(UTC)
        if languages is not None:
            break  # the page's language did not read it; do not guess another one
    return None


RELATIVE_DAY = re.compile(
    r"^(?P<day>today|aujourd['’]hui|yesterday|hier)\b[\s,]*(?:at|à)?\s*"
    r"(?P<h>\d{1,2})\s*[:h]\s*(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?$",
    re.IGNORECASE,
)
RELATIVE_AGO = re.compile(
    r"^(?:(?P<n>\d+)\s+(?P<unit>minutes?|hours?)\s+ago"
    r"|il\s+y\s+a\s+(?P<n_fr>\d+)\s+(?P<unit_fr>minutes?|heures?))$",
    re.IGNORECASE,
)


def parse_relative_date(text: str | None, now: datetime | None) -> datetime | None:
    """A forum's relative date ("Today at 10:42", "Hier à 21:15", "5 minutes ago") read
    against `now` (the page's fetch time, UTC). None without `now` or for anything else.

    Like `parse_text_date`, the board's wall time is read as UTC, and "today" is `now`'s UTC day.
    """
    text = " ".join((text or "").split())
    if now is None or not text or len(text) > MAX_TEXT_DATE_CHARS:
        return None
    now = now.astimezone(UTC)
    if found := RELATIVE_AGO.match(text):
        amount = int(found["n"] or found["n_fr"])
        unit = (found["unit"] or found["unit_fr"]).lower()
        return now - timedelta(minutes=amount if unit.startswith("minute") else amount * 60)
    found = RELATIVE_DAY.match(text)
    if not found:
        return None
    hour, minute, second = int(found["h"]), int(found["m"]), int(found["s"] or 0)
    if found["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    days_back = 0 if found["day"].lower()[0] in "ta" else 1
    day = now.date() - timedelta(days=days_back)
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)
