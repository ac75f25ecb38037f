"""Records that fail validation are kept aside, never dropped: `raw.<source>_quarantine`.

A resource yields `quarantined(...)` instead of a bad record; dlt routes it to the quarantine table
of its source, keyed by a hash of source + payload so a re-run does not duplicate it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

import dlt

log = logging.getLogger(__name__)

MAX_PAYLOAD_CHARS = 100_000


def quarantine_table(source: str) -> str:
    return f"{source}_quarantine"


def _as_text(payload: Any) -> str:
    if isinstance(payload, bytes):
        text = payload.decode("utf-8", errors="replace")
    elif isinstance(payload, str):
        text = payload
    else:
        text = repr(payload)
    text = text.replace("\x00", "\\x00")
    if len(text) > MAX_PAYLOAD_CHARS:
        text = text[:MAX_PAYLOAD_CHARS] + f"... [truncated, {len(text)} chars]"
    return text


def quarantined(source: str, reason: str, payload: Any) -> Any:
    """A quarantine row for `source`, marked for dlt to land in its quarantine table."""
    text = _as_text(payload)
    quarantine_id = hashlib.sha256(f"{source}\x1f{text}".encode()).hexdigest()
    log.warning("quarantined a %s record: %s", source, reason)
    row = {
        "quarantine_id": quarantine_id,
        "source": source,
        "reason": reason[:2000],
        "payload": text,
        "received_at": datetime.now(UTC),
    }
    return dlt.mark.with_hints(
        row,
        dlt.mark.make_hints(
            table_name=quarantine_table(source),
            write_disposition="merge",
            primary_key="quarantine_id",
        ),
        create_table_variant=True,
    )
