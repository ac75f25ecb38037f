"""Machine-readable dates of web pages as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
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
