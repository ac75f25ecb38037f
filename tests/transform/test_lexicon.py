"""The lexicon files: all are read, every table is filled, a bad line names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from transform import lexicon


def test_every_lexicon_file_is_read_and_every_table_is_filled() -> None:
    rules: tuple[str, ...] = ("general", "curated", "negations", "intensifiers", "contrast")
    rules += ("irony", "durations", "complaints", "resolutions", "leave", "destinations")
    expected = {f"{lang}.{rule}.txt" for lang in lexicon.LANGUAGES for rule in rules}
    expected |= {"emoji.txt", "emoticons.txt"}
    assert {p.name for p in lexicon.LEXICON_DIR.glob("*.txt")} == expected
    for table in (lexicon.GENERAL, lexicon.OVERRIDES, lexicon.PHRASES, lexicon.NEGATIONS):
        assert all(table[lang] for lang in lexicon.LANGUAGES)
    assert lexicon.EMOJI["❤️"] == lexicon.EMOJI["❤"] > 0
    assert lexicon.EMOTICONS["XD"] > 0 > lexicon.EMOTICONS[":("]


def test_curated_file_splits_into_words_and_phrases() -> None:
    assert lexicon.OVERRIDES["fr"]["inadmissible"] < 0
    assert lexicon.PHRASES["fr"][("merci", "pour", "rien")] < 0
    assert all(" " not in word for word in lexicon.OVERRIDES["en"])


def test_a_bad_line_names_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    (tmp_path / "en.curated.txt").write_text("# comment\n\ngood 0.5\nbad word\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"en\.curated\.txt:4"):
        lexicon.read_values("en.curated.txt")
    (tmp_path / "en.negations.txt").write_text("not\nno way\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"en\.negations\.txt:2"):
        lexicon.read_words("en.negations.txt")
