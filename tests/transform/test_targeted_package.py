"""`transform.targeted` is a package: its public API, and every module of it in the version."""

from __future__ import annotations

import shutil
from pathlib import Path

from transform import targeted, version


def test_the_public_api_is_the_package_s() -> None:
    assert {"plan", "resolve", "brand_sentiments", "TargetPlan", "TargetedResult"} <= set(
        dir(targeted)
    )


def test_a_rule_in_any_module_of_the_package_changes_the_version(tmp_path: Path) -> None:
    """A package's modules are logic too: editing a weight in one changes the digest."""
    copy = tmp_path / "transform"
    shutil.copytree(version.TRANSFORM_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert version.logic_digest(copy) == version.logic_digest()
    scoring = copy / "targeted" / "scoring.py"
    text = scoring.read_text(encoding="utf-8")
    assert "RULES_WEIGHT = 0.5" in text
    scoring.write_text(text.replace("RULES_WEIGHT = 0.5", "RULES_WEIGHT = 0.4"), encoding="utf-8")
    assert version.logic_digest(copy) != version.logic_digest()
    (copy / "targeted" / "scoring.py").unlink()
    assert version.logic_digest(copy) != version.logic_digest()
