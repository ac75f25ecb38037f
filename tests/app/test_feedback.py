"""Feedback answers kept by alert id, ISO weeks of the brief, both languages complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.brief import iso_week, week_bounds
from app.feedback import Feedback
from app.i18n import WORDS, number, percent


def test_answers_survive_and_give_precision(tmp_path: Path) -> None:
    store = Feedback(tmp_path / "feedback.sqlite")
    assert store.answers() == {} and store.precision() == (None, 0)
    store.answer("a1", "acknowledged", True)
    store.answer("a2", "closed", False)
    store.answer("a3", "new", None)
    store.answer("a1", "closed", True)  # a second answer replaces the first
    again = Feedback(tmp_path / "feedback.sqlite").answers()
    assert again["a1"].status == "closed" and again["a1"].useful is True
    assert again["a3"].useful is None
    assert store.precision() == (0.5, 2)
    with pytest.raises(ValueError):
        store.answer("a1", "maybe", None)  # type: ignore[arg-type]


def test_notes_are_per_brand(tmp_path: Path) -> None:
    store = Feedback(tmp_path / "feedback.sqlite")
    store.add_note("Nuage", date(2026, 9, 1), " Campagne rentrée ")
    store.add_note("Zest", date(2026, 9, 2), "Release")
    assert store.notes(["Nuage"]) == [("Nuage", date(2026, 9, 1), "Campagne rentrée")]


def test_iso_weeks() -> None:
    assert week_bounds("2026-W36") == (date(2026, 8, 31), date(2026, 9, 6))
    assert iso_week(date(2026, 9, 6)) == "2026-W36"
    with pytest.raises(ValueError):
        week_bounds("2026-36")


def test_every_word_has_both_languages_and_numbers_follow_the_locale() -> None:
    assert all(fr.strip() and en.strip() for fr, en in WORDS.values())
    assert number(1234.5, "fr", 1) == "1\u202f234,5" and number(1234.5, "en", 1) == "1,234.5"
    assert percent(0.125, "fr", 1) == "12,5\u00a0%" and percent(0.125, "en") == "12%"
