"""Language identification: the hint prior, the project's languages, accuracy on shared tweets."""

from __future__ import annotations

import pytest

from transform import language


def test_without_hint_short_text_is_undetermined() -> None:
    assert language.detect("ok lol") == ("und", 0.0)


def test_hint_keeps_a_short_post_in_the_declared_language() -> None:
    lang, confidence = language.detect("ok lol", hint="en")
    assert lang == "en"
    assert 0.0 <= confidence <= 1.0
    assert language.detect("super service, merci", hint="fr-FR")[0] == "fr"


def test_long_confident_text_overrides_a_wrong_hint() -> None:
    text = "The network has been down for three days and nobody at the shop answers the phone"
    assert language.detect(text, hint="fr")[0] == "en"


def test_hint_lingua_does_not_restrict_is_added_to_the_candidates() -> None:
    assert (
        language.detect("Der Kundendienst antwortet nicht", languages=("en", "fr"), hint="de")[0]
        == "de"
    )


@pytest.mark.parametrize("hint", [None, "", "und", "  "])
def test_empty_hint_is_no_hint(hint: str | None) -> None:
    text = "Le réseau est en panne depuis trois jours, le service client ne répond pas"
    assert language.detect(text, hint=hint) == language.detect(text)


def test_normalise_hint() -> None:
    assert language.normalise_hint("en-US") == "en"
    assert language.normalise_hint(" FR_fr ") == "fr"
    assert language.normalise_hint("und") is None


def test_within_maps_unsupported_languages_to_und() -> None:
    assert language.within("es", ["en", "fr"]) == "und"
    assert language.within("fr", ["en", "FR"]) == "fr"
    assert language.within("und", ["en"]) == "und"
    assert language.within("es", []) == "es"


def test_a_short_post_is_not_overridden_by_a_weak_guess() -> None:
    assert language.detect("ok lol", hint="fr")[0] == "fr"


def test_hashtag_words_count_as_words() -> None:
    assert language.clean("#fail again @user http").split() == ["fail", "again"]


def _short_tweets(name: str, count: int) -> list[tuple[str, str]]:
    from transform import shared_sets

    if not shared_sets.default_root().is_dir():
        pytest.skip("shared data absent")
    rows = shared_sets.load(name)[:count]
    return [(r["lang"], " ".join(r["text"].split()[:5])) for r in rows]


@pytest.mark.parametrize("name", ["tweeteval_sentiment_val", "french_tweets_val"])
def test_short_tweets_are_mostly_identified_and_rarely_wrong(name: str) -> None:
    """Tweets cut to five words: most get their language, few get another one."""
    rows = _short_tweets(name, 300)
    labels = [language.detect(text)[0] for _, text in rows]
    right = sum(lab == gold for (gold, _), lab in zip(rows, labels, strict=True)) / len(rows)
    wrong = sum(lab not in (gold, "und") for (gold, _), lab in zip(rows, labels, strict=True))
    assert right >= 0.8
    assert wrong / len(rows) <= 0.03
    hinted = [language.detect(text, hint=gold)[0] for gold, text in rows]
    assert all(lab == gold for (gold, _), lab in zip(rows, hinted, strict=True))


def test_the_benchmark_sweep_decides_as_detect_does() -> None:
    """The offline sweep in benchmarks/language.py must mirror `detect`, or its figures lie."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "language.py"
    spec = importlib.util.spec_from_file_location("language_benchmark", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    texts = [
        "ok lol",
        "thanks guys",
        "super service, merci",
        "#fail again @user http",
        "Le réseau est en panne depuis trois jours",
        "El servicio es muy malo hoy, no funciona nada",
        "RT @user #rungeordierun Should",
    ]
    samples = bench.scored([("t", "en", t) for t in texts], language.clean)
    thresholds = (language.MIN_CONFIDENCE, language.MIN_MARGIN, language.MIN_LETTERS)
    assert [bench.decide(s, *thresholds) for s in samples] == [language.detect(t)[0] for t in texts]
    overrides = (language.OVERRIDE_LETTERS, language.OVERRIDE_CONFIDENCE, language.OVERRIDE_MARGIN)
    hinted = [bench.decide_hinted(s, "fr", *overrides) for s in samples]
    assert hinted == [language.detect(t, hint="fr")[0] for t in texts]


def test_a_long_post_is_detected_from_its_opening() -> None:
    """lingua reads the first `DETECTED_CHARS` characters (its cost grows with the length, its
    accuracy does not): a long French thread under an English opening is read as English."""
    opening = "The new phone plan from this operator is cheaper than last year and works well. "
    text = opening * 4 + "Le forfait est vraiment trop cher et le réseau ne marche jamais. " * 200
    assert language.detect(text)[0] == "en"
    assert language.detect(text[len(opening) * 4 :])[0] == "fr"


def test_only_the_first_detected_chars_count() -> None:
    """What follows the first `DETECTED_CHARS` (180) cleaned characters does not move the
    language or its confidence (at 250, this German tail drops French to 0.75)."""
    opening = (
        "Le réseau de mon opérateur est rapide et la box est stable depuis des mois, "
        "franchement rien à dire. " * 2
    )[:181]
    tail = "Das Netz ist langsam und der Kundendienst antwortet nie auf meine Fragen. " * 3
    assert language.detect(opening + tail) == language.detect(opening) == ("fr", 1.0)
