"""The rules around spaCy's entity recogniser (`transform/entities.py`): each test fails without
its rule. Pure functions on recognised spans; one test runs the real English model."""

from __future__ import annotations

import pytest

from transform import entities, nlp


def stored(
    spans: list[tuple[str, str]], lang: str = "en", **kwargs: object
) -> list[tuple[str, str]]:
    """(text, label) pairs stored for spans given in text order."""
    text = " ".join(s for s, _ in spans)
    positioned = [(text.index(s), s, label) for s, label in spans]
    found = entities.unified(positioned, text, lang, **kwargs)  # type: ignore[arg-type]
    return [(e["text"], e["label"]) for e in found]


def test_a_spaced_separator_splits_two_names() -> None:
    assert entities.tidy("Thibaut Privat - Davit Zirakashvili", "en") == [
        "Thibaut Privat",
        "Davit Zirakashvili",
    ]
    assert entities.tidy("Canelo Vs Julio César", "en") == ["Canelo", "Julio César"]
    assert entities.tidy("Rennes-Sud-Est", "fr") == ["Rennes-Sud-Est"]


def test_a_person_span_is_split_at_commas_and_loses_its_numbers() -> None:
    assert entities.tidy("Dwayne, Ty", "en", label="PER") == ["Dwayne", "Ty"]
    assert entities.tidy("Middlebrooks, Jr.", "en", label="PER") == ["Middlebrooks, Jr."]
    assert entities.tidy("Oliver Neuville 14", "en", label="PER") == ["Oliver Neuville"]
    assert entities.tidy("Ipswich, QLD", "en", label="LOC") == ["Ipswich, QLD"]
    assert entities.tidy("PS 4", "en", label="MISC") == ["PS 4"]


def test_emoji_symbols_and_stray_punctuation_leave_the_edges() -> None:
    assert entities.tidy("NuageTelecom 😍", "fr") == ["NuageTelecom"]
    assert entities.tidy("Tim Rishton - ''", "en") == ["Tim Rishton"]
    assert entities.tidy("Thunderbolt 3 -. -", "en") == ["Thunderbolt 3"]
    assert entities.tidy("#Paris", "fr") == ["Paris"]


def test_abbreviations_and_closed_brackets_are_kept() -> None:
    assert entities.tidy("U.S.", "en") == ["U.S."]
    assert entities.tidy("Acme Inc.", "en") == ["Acme Inc."]
    assert entities.tidy("Goro (Italie)", "fr") == ["Goro (Italie)"]
    assert entities.tidy("Lyon.", "fr") == ["Lyon"]


def test_a_possessive_is_not_part_of_the_name() -> None:
    assert entities.tidy("Tim Cook's", "en") == ["Tim Cook"]
    assert entities.tidy("Jim Carrey '", "en") == ["Jim Carrey"]


def test_a_lower_case_article_is_dropped_a_title_kept() -> None:
    assert entities.tidy("the United States", "en") == ["United States"]
    assert entities.tidy("The Beatles", "en") == ["The Beatles"]
    assert entities.tidy("la Saskatchewan", "fr") == ["Saskatchewan"]
    assert entities.tidy("l'Europe", "fr") == ["Europe"]
    assert entities.tidy("La Poste", "fr") == ["La Poste"]


def test_handles_and_chat_words_at_the_edges_are_trimmed() -> None:
    assert entities.tidy("Merci @Orange", "fr") == []
    assert entities.tidy("Damn Athenas", "en") == ["Athenas"]
    assert entities.tidy("martin lmao", "en") == ["martin"]
    assert entities.tidy("Awwwww Didga", "en") == ["Didga"]


@pytest.mark.parametrize("junk", ["OMG", "LOL", "Hahaha", "❤ ❤ 😅", "2019", "U", "www.x.com"])
def test_what_is_no_name_is_dropped(junk: str) -> None:
    assert entities.tidy(junk, "en") == []


def test_a_shouted_common_word_is_dropped_an_acronym_kept() -> None:
    common = {"great", "free", "run"}.__contains__
    assert entities.tidy("GREAT", "en", common) == []
    assert entities.tidy("FREE", "en", common) == []
    assert entities.tidy("NASA", "en", common) == ["NASA"]
    assert entities.tidy("Great", "en", common) == ["Great"]


def test_brand_aliases_are_org_as_configured() -> None:
    aliases = ("Fibréa", "@fibrea", "Nuage Télécom", "Zest")
    assert stored([("chez Fibréa", "MISC")], "fr", aliases=aliases) == [("Fibréa", "ORG")]
    text = "Nuage Télécom rembourse enfin, merci Fibréa et @fibrea"
    found = entities.unified([(0, "Nuage Télécom", "LOC")], text, "fr", aliases)
    assert [(e["text"], e["label"]) for e in found] == [
        ("Nuage Télécom", "ORG"),
        ("Fibréa", "ORG"),
    ]
    lemon = entities.unified([], "add the zest of a lemon", "en", aliases)
    assert lemon == []


def test_entities_are_stored_once_in_text_order() -> None:
    spans = [(0, "Paris", "LOC"), (10, "Lyon", "LOC"), (20, "Paris!", "LOC")]
    found = entities.unified(spans, "Paris et Lyon puis Paris!", "fr")
    assert found == [{"text": "Paris", "label": "LOC"}, {"text": "Lyon", "label": "LOC"}]


@pytest.mark.skipif(nlp.model_name("en") is None, reason="no English spaCy model installed")
def test_the_production_path_applies_the_rules() -> None:
    text = "OMG Tim Cook's keynote was great, thanks @Apple"
    found, _ = nlp.analyse("en", [text], ("Apple",))[0]
    names = {e["text"] for e in found}
    assert "OMG" not in names and "Tim Cook's" not in names
    assert {"text": "Tim Cook", "label": "PER"} in found
