"""`enrichment_version`: changes with code, models or brand rules, so mentions are redone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from core.config import Brand
from transform import nlp

# Bump on any change to enrichment logic, lexicons or thresholds.
CODE_VERSION = "2026.11.3"


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def enrichment_version(brands: Sequence[Brand]) -> str:
    """`<code version>-<12 hex>` hashing models, library versions and the brand rules."""
    parts = {
        "code": CODE_VERSION,
        "models": nlp.model_versions(),
        "lingua": _package("lingua-language-detector"),
        "textblob": _package("textblob"),
        "textblob-fr": _package("textblob-fr"),
        "brands": [b.model_dump(mode="json") for b in brands],
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]
    return f"{CODE_VERSION}-{digest}"
