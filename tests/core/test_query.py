"""The brand query language: grammar, syntax errors with their column, and matching semantics."""

from __future__ import annotations

import pytest

from core.query import Post, QuerySyntaxError, parse


def clause(query: str, text: str, **context: str) -> str | None:
    hit = parse(query).first(Post(text, **context))
    return None if hit is None else hit.clause


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("orange AND forfait", "Mon forfait Orange", "orange AND forfait"),
        ("orange AND forfait", "Un jus d'orange", None),
        ("orange OR sfr", "chez SFR", "sfr"),
        ("orange AND NOT jus", "jus d'orange", None),
        ("orange AND NOT jus", "box orange", "orange AND NOT jus"),
        ("NOT jus AND orange", "box orange", "NOT jus AND orange"),
        ("(free OR sfr) AND (box OR fibre)", "ma fibre SFR", "sfr AND fibre"),
        ("a OR b AND c", "a", "a"),  # AND binds tighter than OR
        ("a OR b AND c", "b", None),
    ],
)
def test_boolean_operators_and_precedence(query: str, text: str, expected: str | None) -> None:
    assert clause(query, text) == expected


def test_phrases_match_their_words_in_order_across_any_spacing() -> None:
    query = '"service client" AND orange'
    assert clause(query, "le service\n  client d'Orange") == query
    assert clause(query, "le client du service Orange") is None


def test_accents_and_case_are_folded_unless_braced() -> None:
    assert clause("telecom", "Nuage Télécom") == "telecom"
    assert clause("télécom", "NUAGE TELECOM") == "télécom"
    assert clause("{Orange}", "orange pressée") is None
    assert clause("{Orange}", "Orange Bank") == "{Orange}"
    assert clause('{"Orange Bank"}', "Orange Bank ferme") == "{Orange Bank}"
    assert clause("{Télécom}", "Telecom") == "{Télécom}"  # accents still folded


def test_whole_words_handles_and_hashtags() -> None:
    assert clause("free", "Freebox") is None
    assert clause("freebox", "ma Freebox plante") == "freebox"
    assert clause("@free", "merci @free") == "@free"
    assert clause("@free", "merci @freebox") is None
    assert clause("@free", "#free") is None
    assert clause("#NuageTelecom", "encore #nuagetelecom") == "#NuageTelecom"
    assert clause("nuagetelecom", "#NuageTelecom") is None  # a hashtag is not the bare word


def test_near_counts_words_between_the_terms_in_either_order() -> None:
    query = "orange NEAR/2 forfait"
    assert clause(query, "Orange et son forfait") == "orange NEAR/2 forfait"
    assert clause(query, "forfait chez Orange") == "orange NEAR/2 forfait"
    assert clause(query, "Orange est une couleur, pas un forfait") is None
    assert clause("orange NEAR/0 bank", "Orange Bank") == "orange NEAR/0 bank"
    assert clause("(orange OR sfr) NEAR/1 box", "la box SFR") == "sfr NEAR/1 box"


def test_scopes_test_the_context_not_the_text() -> None:
    query = "orange AND (site:lemonde.fr OR source:reddit) AND lang:fr"
    assert clause(query, "Orange", site="www.lemonde.fr", lang="fr") is not None
    assert clause(query, "Orange", site="blog.lemonde.fr", lang="fr-FR") is not None
    assert clause(query, "Orange", source="reddit", lang="fr") is not None
    assert clause(query, "Orange", site="notlemonde.fr", lang="fr") is None
    assert clause(query, "Orange site:lemonde.fr", lang="fr") is None  # not read from the text
    assert clause(query, "Orange", site="lemonde.fr") is None  # unknown language
    assert clause('orange AND site:"example.org"', "orange", site="example.org") is not None


def test_hits_carry_the_spans_of_every_term() -> None:
    text = "Panne du réseau Orange"
    hit = parse("orange AND réseau").first(Post(text))
    assert hit is not None
    assert [text[s:e] for s, e in hit.spans] == ["Orange", "réseau"]
    assert [t.source for t in parse("a AND NOT b AND (c NEAR/2 d)").terms()] == ["a", "c", "d"]


@pytest.mark.parametrize(
    ("query", "column", "message"),
    [
        ("Orange Bank", 8, "expected AND, OR or NEAR/n"),
        ("(orange OR sfr", 1, "unclosed ("),
        ("orange OR sfr)", 14, "unmatched )"),
        ("orange AND", 11, "ends too early"),
        ('orange AND "service client', 12, "unclosed quote"),
        ("orange NEAR sfr", 8, "NEAR needs a distance"),
        ("orange NEAR/2 NOT sfr", 8, "NEAR/n joins text terms"),
        ("NOT jus", 1, "needs a text term"),
        ("lang:fr", 1, "needs a text term"),
        ("orange AND site:", 12, "site: needs a value"),
        ("{Orange", 1, "unclosed {"),
        ('orange AND ""', 12, "empty phrase"),
        ("", 1, "empty query"),
        ("orange OR OR sfr", 11, "unexpected 'OR'"),
    ],
)
def test_syntax_errors_name_their_column(query: str, column: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query)
    assert raised.value.column == column
    assert message in raised.value.message
    assert f"column {column}" in str(raised.value)
    # The caret under the query points at the column.
    _, shown, caret = str(raised.value).splitlines()
    assert caret.index("^") - 2 == column - 1 and shown.strip() == query.strip()


def test_lower_case_operators_are_words() -> None:
    assert clause('"rock and roll"', "du rock and roll") is not None
    with pytest.raises(QuerySyntaxError):
        parse("rock and roll")
