"""What withholds a judgement: a limit on praise (`nothing special`, `sans plus`) leaves a window
its complaints only; a brand only considered (`maybe`, `peut-être regarder`) or said to stay as it
is (`ne change rien`, `closed flat`) is no foil; lukewarm praise beside another brand named as the
culprit (`A was fine. B was the problem.`) is no praise; nor is the praise of what one needs or
looks for (`I need good wifi`, `il me faut un wifi correct`)."""

from __future__ import annotations

import re

from transform import sentiment

# Round five. A limit put on praise (`fine for basic use, nothing special`, `correct, sans plus`):
# the window says the brand does the job, no more; its praise does not count, nor the model.
_LIMITERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("nothing", "special"),
        ("nothing", "more"),
        ("nothing", "fancy"),
        ("nothing", "amazing"),
        ("nothing", "to", "write", "home", "about"),
        ("no", "more", "no", "less"),
    ),
    "fr": (
        ("sans", "plus"),
        ("rien", "de", "plus"),
        ("rien", "de", "spécial"),
        ("rien", "de", "fou"),
        ("rien", "d'", "extraordinaire"),
        ("rien", "d'", "exceptionnel"),
        ("sans", "plus", "ni", "moins"),
    ),
}
_LIMITERS_BY_FIRST_WORD = {
    lang: {w: [p for p in phrases if p[0] == w] for w in {p[0] for p in phrases}}
    for lang, phrases in _LIMITERS.items()
}
# A brand only considered (`maybe I should look at B`, `je vais peut-être regarder chez B`) is no
# foil of the one blamed before it.
_CONSIDERING = {
    "en": frozenset({"maybe", "perhaps", "might", "consider", "considering", "thinking"}),
    "fr": frozenset({"peut-être", "regarder", "envisage", "envisager", "songe", "hésite"}),
}
# … nor is one said to stay as it is (`B keeps its prices unchanged`, `B ne change rien`, `B a
# indiqué ne pas prévoir de suivre`).
_STATUS_QUO = {
    "en": frozenset({"unchanged", "unaffected", "follow", "stays", "maintains"}),
    "fr": frozenset({"inchangé", "inchangés", "inchangée", "inchangées", "pareil", "suivre"})
    | frozenset({"change", "maintient", "maintiennent", "concerné", "concernés", "touché"}),
}
# `B closed flat`, `B stayed flat` (not `in ten minutes flat`).
_FLAT = frozenset({"flat", "stable", "steady"})
_HELD = frozenset({"closed", "stayed", "remained", "held", "stays", "remains", "holds", "kept"})


def limiters(analysis: sentiment.Analysis) -> set[int]:
    """Tokens of a limit put on praise (`nothing special`, `rien de plus`, `sans plus`)."""
    by_first = _LIMITERS_BY_FIRST_WORD.get(analysis.lang, {})
    words = [t.text for t in analysis.tokens]
    found: set[int] = set()
    for i, word in enumerate(words):
        for phrase in by_first.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.update(range(i, i + len(phrase)))
    return found


# Round six. Lukewarm praise (`fine`, `ok`, `correct`) said of one brand while another is named
# as the culprit (`A was fine. B's counter staff were the problem.`, `Location A correcte. Le
# problème c'était B.`, `It was B that took ninety minutes`): A is not the problem, no more.
_LUKEWARM = {
    "en": frozenset({"fine", "ok", "okay", "alright", "decent", "acceptable", "passable"}),
    "fr": frozenset({"correct", "correcte", "corrects", "correctes", "ok", "passable"})
    | frozenset({"acceptable", "convenable"}),
}
_CULPRIT = {
    "en": re.compile(
        r"\b(?:the|real|main|only)\s+(?:problem|issue|culprit)s?\s+(?:was|were|is|are)\b"
        r"|\b(?:was|were|is|are)\s+the\s+(?:real\s+|main\s+|only\s+)?(?:problem|issue|culprit)"
        r"|\bit\s+was\s+\S+(?:\s+\S+){0,3}\s+(?:that|who)\b"
    ),
    "fr": re.compile(
        r"\b(?:le|la|seul|vrai)\s+(?:problème|souci|coupable)\s*,?\s*c'(?:était|est)\b"
        r"|\bc'(?:est|était)\s+(?:\S+\s+){0,4}\S+\s+qui\b"
    ),
}


def lukewarm_beside_a_culprit(text: str, analysis: sentiment.Analysis) -> set[int]:
    """Tokens of lukewarm praise in a post that names a culprit (`the problem was`, `c'est …
    qui`): limits, as `nothing special` is."""
    culprit = _CULPRIT.get(analysis.lang)
    if culprit is None or not culprit.search(text.lower()):
        return set()
    lukewarm = _LUKEWARM.get(analysis.lang, frozenset())
    return {
        i for i, t in enumerate(analysis.tokens) if t.text in lukewarm and analysis.valences[i] > 0
    }


# Round seven. What one needs or looks for is not what a brand gives (`A or B for remote work? I
# need good wifi and plugs`, `je cherche une banque sérieuse`, `il me faut un wifi correct`): the
# praise of a wished-for thing is a limit, as `nothing special` is.
_WISHES = {
    "en": (("need",), ("needs",), ("want",), ("looking", "for"), ("hoping", "for")),
    "fr": (
        ("me", "faut"),
        ("nous", "faut"),
        ("besoin",),
        ("cherche",),
        ("recherche",),
        ("veux",),
        ("voudrais",),
        ("souhaite",),
    ),
}
_WISHED_OBJECTS = frozenset(
    {"a", "an", "some", "something", "decent", "good", "proper", "reliable"}
    | {"un", "une", "des", "du", "de", "d'", "quelque"}
)
WISH_REACH = 8  # words after the wish that describe the thing wished for


def wished_for(analysis: sentiment.Analysis) -> set[int]:
    """Praise words describing what the writer needs or looks for: a wish followed at once by a
    noun phrase (`need a decent router`, `il me faut des prises et un wifi correct`), up to
    `WISH_REACH` words on in its sentence."""
    wishes = _WISHES.get(analysis.lang, ())
    tokens = analysis.tokens
    words = [t.text if t.kind == "word" else "" for t in tokens]
    found: set[int] = set()
    firsts = {wish[0] for wish in wishes}
    for i in range(len(words)):
        if words[i] not in firsts:
            continue
        for wish in wishes:
            end = i + len(wish)
            if tuple(words[i:end]) != wish or end >= len(words):
                continue
            if words[end] not in _WISHED_OBJECTS:
                continue
            for j in range(end, min(end + WISH_REACH, len(words))):
                if tokens[j].kind in ("stop", "bang"):
                    break
                if analysis.valences[j] > 0:
                    found.add(j)
    return found
