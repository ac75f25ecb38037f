"""`service_events` passes over every token outside `_EVENT_STARTS` (the words an event can start
at): that shortcut must find what a scan of every token finds, on every shipped gold text, so an
event whose first word is not added there fails here rather than going unseen."""

from __future__ import annotations

import json

import pytest

from transform import sentiment
from transform.brand_evaluation import BRAND_PAIRS
from transform.targeted import events

GOLD = BRAND_PAIRS.parent


def _texts() -> list[tuple[str, str]]:
    found: dict[tuple[str, str], None] = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("lang") in ("en", "fr") and row.get("text"):
                found[row["text"], row["lang"]] = None
    return list(found)


def test_the_start_words_shortcut_finds_what_a_scan_of_every_token_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _texts()
    assert len(texts) > 3_000
    analyses = [sentiment.analyse(text, lang) for text, lang in texts]
    shortcut = [events.service_events(a) for a in analyses]
    monkeypatch.setattr(events, "_EVENT_STARTS", {})  # no shortcut: every token is tried
    missed = [
        (text, found, events.service_events(a))
        for (text, _), a, found in zip(texts, analyses, shortcut, strict=True)
        if events.service_events(a) != found
    ]
    assert not missed, f"{len(missed)} texts; first: {missed[0]}"
