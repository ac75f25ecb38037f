"""Brand matching: no homonym leaks, queries per brand, explanations, the labelled homonym set."""

from __future__ import annotations

from core.config import Alias, Brand
from transform import brand_matching_evaluation as evaluation
from transform.brands import ALIAS_BRAND, ALIAS_CONTEXT, QUERY, BrandMatcher

ORANGE = Brand(
    name="Orange",
    aliases=[Alias(text="Orange", case_sensitive=True, needs_context=True)],
    context=["forfait", "réseau", "carrier", "mobile"],
)
SFR = Brand(name="SFR", competitor=True)
CELEST = Brand(name="Célest Mobile", competitor=True)


def brands(text: str, matcher: BrandMatcher) -> list[str]:
    return [m.brand for m in matcher.find(text)]


def test_a_second_brand_named_elsewhere_is_no_context() -> None:
    matcher = BrandMatcher([ORANGE, SFR])
    assert brands("Orange is my favourite colour, the SFR logo is red", matcher) == ["SFR"]
    assert brands("Orange est ma couleur préférée, le logo de SFR est rouge", matcher) == ["SFR"]


def test_a_peer_brand_set_beside_the_alias_still_vouches() -> None:
    matcher = BrandMatcher([ORANGE, SFR])
    [orange, _] = matcher.find("J'ai quitté Orange pour SFR")
    assert orange.rule == ALIAS_BRAND
    assert orange.explanation is not None and orange.explanation.context == ("SFR",)
    assert brands("SFR vs Orange : le comparatif", matcher) == ["Orange", "SFR"]
    assert brands("orange ou SFR ?", matcher) == ["SFR"]  # written as a common word


def test_a_context_term_inside_another_brand_name_does_not_vouch() -> None:
    matcher = BrandMatcher([ORANGE, CELEST])
    assert brands("Le ciel est Orange ce soir, Célest Mobile a une panne", matcher) == [
        "Célest Mobile"
    ]
    [match] = matcher.find("Orange mobile a une panne")
    assert match.rule == ALIAS_CONTEXT
    assert match.explanation is not None and match.explanation.context == ("mobile",)


def test_a_query_decides_its_brand_with_the_post_context() -> None:
    orange = ORANGE.model_copy(update={"query": "{Orange} NEAR/4 (forfait OR box) AND lang:fr"})
    matcher = BrandMatcher([orange, SFR])
    text = "Ma box Orange est en panne, SFR aussi"
    [match, sfr] = matcher.find(text, lang="fr")
    assert (match.brand, match.rule, match.alias, text[match.start : match.end]) == (
        "Orange",
        QUERY,
        "Orange",
        "Orange",
    )
    assert match.explanation is not None
    assert match.explanation.as_dict() == {
        "clause": "{Orange} NEAR/4 box AND lang:fr",
        "spans": [[7, 13], [3, 6]],
        "context": ["box"],
    }
    assert sfr.brand == "SFR"
    assert brands(text, matcher) == ["SFR"]  # no language given: the scope is not met
    assert brands(text, matcher) == [m.brand for m in matcher.find(text, lang=None)]
    assert matcher.spans(text, "Orange") == [(7, 13)]


def test_exclusions_veto_a_query_mention() -> None:
    brand = Brand(name="Nuage", query="nuage AND (ciel OR forfait)", exclusions=["nuage de lait"])
    matcher = BrandMatcher([brand])
    assert brands("un nuage de lait et un forfait", matcher) == []
    assert brands("un forfait Nuage", matcher) == ["Nuage"]
    [match] = matcher.find("un nuage de lait et un forfait Nuage")  # the next mention counts
    assert match.start == 31


def test_alias_matches_explain_their_rule() -> None:
    [match] = BrandMatcher([SFR]).find("Panne SFR")
    assert match.explanation is not None
    assert match.explanation.as_dict() == {
        "clause": "alias 'SFR'",
        "spans": [[6, 9]],
        "context": [],
    }


def test_the_homonym_set_is_well_formed() -> None:
    posts = evaluation.load()
    assert len(posts) >= 200
    assert {p["lang"] for p in posts} == {"fr", "en"}
    assert len({p["id"] for p in posts}) == len(posts) == len({p["text"] for p in posts})
    known = {b.name for b in evaluation.ALIAS_BRANDS}
    assert all(set(p["brands"]) <= known for p in posts)
    # Homonyms are the point: most brand names also occur in posts that do not mention them.
    unlabelled = [p["text"].casefold() for p in posts if not p["brands"]]
    assert len(unlabelled) >= 80
    for word in (
        "orange",
        "free",
        "apple",
        "amazon",
        "shell",
        "total",
        "delta",
        "mercury",
        "nuage",
    ):
        assert any(word in text for text in unlabelled), word
    assert {evaluation.split_of(p) for p in posts} == {"dev", "test"}


def test_both_rule_sets_stay_precise_on_the_homonym_set() -> None:
    scores = evaluation.run()
    for name in ("aliases", "queries"):
        for lang in ("fr", "en"):
            score = scores[name][(lang, "all")]
            assert score.precision >= 0.95 and score.recall >= 0.95, (name, lang, score)


def test_the_old_leaky_rule_would_fail_the_set() -> None:
    """The set detects the leak: counting any named brand as context costs precision."""

    class Leaky(BrandMatcher):
        def _context_words(
            self,
            brand: str,
            text: str,
            alias_span: tuple[int, int],
            others: list[tuple[int, int]],
        ) -> tuple[str, ...]:
            return super()._context_words(brand, text, alias_span, others) or (
                ("<brand>",) if others else ()
            )

    leaky = evaluation.evaluate(Leaky(evaluation.ALIAS_BRANDS).find, evaluation.load())[0]
    fixed = evaluation.run()["aliases"]
    assert leaky[("all", "all")].false_pos > fixed[("all", "all")].false_pos
