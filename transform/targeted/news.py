"""The impersonal register of news (no I/you, no emoji, a reporting word such as `announced`
or `selon`): there the model's view of a window counts less."""

from __future__ import annotations

from transform import sentiment

_PERSONAL = {
    "en": frozenset(
        {
            "i",
            "i'm",
            "i've",
            "i'd",
            "me",
            "my",
            "mine",
            "we",
            "we're",
            "our",
            "us",
            "you",
            "you're",
            "your",
            "yours",
            "lol",
            "omg",
        }
    ),
    "fr": frozenset(
        {
            "je",
            "j'",
            "me",
            "m'",
            "moi",
            "mon",
            "ma",
            "mes",
            "nous",
            "notre",
            "nos",
            "tu",
            "te",
            "t'",
            "toi",
            "ton",
            "ta",
            "tes",
            "vous",
            "votre",
            "vos",
            "perso",
            "mdr",
        }
    ),
}
# Reporting and corporate-event words that, in an impersonal post, mark it as news.
_NEWS_WORDS = {
    "en": frozenset(
        {
            "according",
            "announce",
            "announced",
            "announces",
            "announcement",
            "report",
            "reports",
            "reported",
            "says",
            "said",
            "plans",
            "agreed",
            "agrees",
            "merger",
            "acquire",
            "acquires",
            "acquisition",
            "deal",
            "launch",
            "launches",
            "quarter",
            "reuters",
            "ceo",
            "spokesperson",
            "will",
            # round eight (not `confirmed`: `never confirmed the appointment`)
            "published",
            "results",
        }
    ),
    "fr": frozenset(
        {
            "selon",
            "annonce",
            "annoncent",
            "annoncé",
            "communiqué",
            "rachète",
            "rachat",
            "fusion",
            "accord",
            "lance",
            "lancera",
            "lancent",
            "prévoit",
            "trimestre",
            "porte-parole",
            "pdg",
            "va",
            "vont",
            # round eight
            "publié",
            "publie",
            "indiqué",
            "déclaré",
            "résultats",
        }
    ),
}


def impersonal(analysis: sentiment.Analysis) -> bool:
    """No first or second person, emoji, emoticon or `!`, and a reporting or corporate-event word
    (`announce`, `according to`, `selon`, `rachète`): the register of news, not of opinion."""
    personal = _PERSONAL.get(analysis.lang, frozenset())
    news = _NEWS_WORDS.get(analysis.lang, frozenset())
    tokens = analysis.tokens
    if any(t.kind in ("emoji", "emoticon", "bang") or t.text in personal for t in tokens):
        return False
    return any(t.text in news for t in tokens)
