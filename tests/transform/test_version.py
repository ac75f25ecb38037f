"""The enrichment version follows logic and lexicon content, not docstrings, comments or layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import Alias, Brand
from transform import version

BRANDS = [Brand(name="Nuage", aliases=[Alias(text="NuageBox")])]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the transform package; the tests edit the copy, never the real files."""
    target = tmp_path / "transform"
    shutil.copytree(version.TRANSFORM_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_has_the_same_version(copy: Path) -> None:
    assert version.enrichment_version(BRANDS, copy) == version.enrichment_version(BRANDS)
    assert len(version.enrichment_version(BRANDS)) == 16


def test_a_lexicon_entry_changes_the_version_a_comment_does_not(copy: Path) -> None:
    curated = copy / "lexicons" / "fr.curated.txt"
    _edit(curated, "\npanne -0.7\n", "\n# a linguist's note\npanne   -0.7\n\n")
    assert version.lexicon_digest(copy / "lexicons") == version.lexicon_digest()
    _edit(curated, "\npanne   -0.7\n", "\npanne -0.6\n")
    assert version.lexicon_digest(copy / "lexicons") != version.lexicon_digest()
    assert version.enrichment_version(BRANDS, copy) != version.enrichment_version(BRANDS)


def test_a_new_lexicon_file_changes_the_version(copy: Path) -> None:
    (copy / "lexicons" / "de.general.txt").write_text("gut 0.5\n", encoding="utf-8")
    assert version.lexicon_digest(copy / "lexicons") != version.lexicon_digest()


def test_a_logic_change_changes_the_version(copy: Path) -> None:
    _edit(copy / "sentiment.py", "value *= -0.6", "value *= -0.5")
    assert version.logic_digest(copy) != version.logic_digest()
    assert version.enrichment_version(BRANDS, copy) != version.enrichment_version(BRANDS)


def test_docstrings_comments_and_layout_do_not_change_the_version(copy: Path) -> None:
    sentiment = copy / "sentiment.py"
    _edit(sentiment, '"""Sentiment of a whole text."""', '"""The sentiment of a whole text."""')
    _edit(
        sentiment,
        "    return analyse(text, lang).score()",
        "    # one pass\n    return (analyse(text, lang)).score()",
    )
    enrich = copy / "enrich.py"
    _edit(enrich, '"""The one enrichment code path', '"""The single enrichment code path')
    assert version.logic_digest(copy) == version.logic_digest()
    assert version.enrichment_version(BRANDS, copy) == version.enrichment_version(BRANDS)


def test_brand_rules_change_the_version() -> None:
    other = [Brand(name="Nuage", aliases=[Alias(text="NuageBox"), Alias(text="Nuage Box")])]
    assert version.enrichment_version(other) != version.enrichment_version(BRANDS)


def test_the_fixed_parts_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = version.enrichment_version(BRANDS)
    monkeypatch.setattr(version, "logic_digest", lambda folder: pytest.fail("hashed again"))
    monkeypatch.setattr(version.nlp, "model_versions", lambda: pytest.fail("looked up again"))
    assert version.enrichment_version(BRANDS) == first


def test_a_new_logic_module_changes_the_version(copy: Path) -> None:
    """`targeted.py` is hashed as absent until it exists; writing it changes the version."""
    target = copy / "targeted.py"
    if target.exists():
        target.unlink()
    before = version.logic_digest(copy)
    target.write_text("def label() -> str:\n    return 'neutral'\n", encoding="utf-8")
    assert version.logic_digest(copy) != before


def test_a_learned_module_is_logic(copy: Path) -> None:
    _edit(copy / "learned" / "features.py", "MAX_CHARS = 2_000", "MAX_CHARS = 1_000")
    assert version.logic_digest(copy) != version.logic_digest()


def test_a_changed_model_artifact_changes_the_version(copy: Path) -> None:
    models = copy / "models"
    (models / "xx").mkdir(parents=True, exist_ok=True)
    before = version.enrichment_version(BRANDS, copy)
    version._fixed_parts.cache_clear()
    (models / "xx" / "meta.json").write_text('{"format": 1}\n', encoding="utf-8")
    assert version.enrichment_version(BRANDS, copy) != before


def test_the_backend_fingerprint_changes_the_version() -> None:
    assert version.enrichment_version(BRANDS, backend="rules") != version.enrichment_version(
        BRANDS, backend="abc123"
    )


def test_every_module_the_enrichment_runs_is_in_the_version() -> None:
    """A module added to the enrichment's imports (`entities`, a new rule module) changes the
    version when edited: each `transform` module the enrichment loads is hashed."""
    import subprocess
    import sys

    code = (
        "import sys, transform.enrich, transform.backends; "
        "print(' '.join(m for m in sys.modules if m.startswith('transform.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    hashed = {name.replace("/", ".") for name in version.LOGIC_MODULES}
    missing = [
        m
        for m in loaded
        if m.removeprefix("transform.") not in hashed
        and m.removeprefix("transform.").split(".")[0] not in hashed
        and m != "transform.learned"
    ]
    assert not missing, f"not in version.LOGIC_MODULES: {missing}"
