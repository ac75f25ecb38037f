"""Cheap rules around spaCy's entity recogniser for social-media text (no model runs here).

The small models were trained on edited text; on posts their spans catch what stands beside a name
(`Merci @Orange`, `NuageTelecom 😍`, `Tim Cook's`, `the United States`, `Jim Carrey -`), join two
names across a separator (`Privat - Zirakashvili`, `Canelo Vs Julio`, a person's `Dwayne, Ty`),
keep a player's number (`Neuville 14`) and take chat words for names (`OMG`, `LOL`, `GREAT`).
Each span is split at spaced separators (a person's at commas too, its final numbers cut),
trimmed (symbols, emoji and stray punctuation at its edges, a possessive, a lower-case article,
handles and chat words at either end) and dropped when nothing name-like is left (no letter, one
character, a URL, a chat word, a shouted common word). The project's brand aliases, written as
configured, are ORG entities. Rules chosen on the tuning parts of the shared NER sets
(`benchmarks/ner.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

Entity = dict[str, str]

# A separator between two names when spaced: `A - B`, `A / B`, `A | B`, `A vs B`.
SEPARATOR = re.compile(r"\s+(?:[-–—|/•·]+|vs\.?|versus)\s+", re.IGNORECASE)
PERSON_LIST = re.compile(r",\s+(?!(?:Jr|Sr|Jnr|Snr)\b)")
PERSON_NUMBER = re.compile(r"(?:\s+\d+)+\W*$")
POSSESSIVE = re.compile(r"\s*['’´]\s*s?$")
ARTICLES = {
    "en": ("the", "a", "an"),
    "fr": ("le", "la", "les", "l'", "l’", "un", "une", "des", "du"),
}
# Chat words, greetings and laughter a recogniser takes for names (any case), never names.
_CHAT = """
lol lool lmao lmfao rofl omg omfg wtf wow yay ugh smh tbh idk imo btw ok okay congrats thanks
thx hi hello hey dear damn dude bro rt cc pls plz
merci bonjour salut coucou mdr ptdr jpp bisous
"""
CHAT_WORDS = frozenset(_CHAT.split())
LAUGHTER = re.compile(r"^(?:(?:a?h+a+)+h*|(?:h+e+)+|(?:h+i+){2,}|a+w+|x+d+|l+o+l+|l+m+f*a+o+)$")
URL = re.compile(r"^(?:https?://|www\.)|\.(?:com|org|net|fr|io|ly|co)(?:/|$)", re.IGNORECASE)
ABBREVIATION_END = re.compile(r"(?:\b\w{1,3}|\w\.\w+)\.$")


def _is_symbol(char: str) -> bool:
    """Not part of a name at its edge: punctuation, symbols, emoji, marks, spaces."""
    return not (char.isalnum() or char in ".()")


def _trim_edges(text: str) -> str:
    """Symbols, emoji and stray punctuation off both ends (a hashtag's `#` too); a final `.`
    only after an abbreviation (`Inc.`, `U.S.`), brackets only when closed inside."""
    while True:
        before = text
        text = text.strip()
        while text and (_is_symbol(text[0]) and text[0] != "@"):
            text = text[1:]
        while text and _is_symbol(text[-1]):
            text = text[:-1]
        if text.endswith(".") and not ABBREVIATION_END.search(text):
            text = text[:-1]
        if text.endswith(")") and "(" not in text:
            text = text[:-1]
        if text.startswith("(") and ")" not in text:
            text = text[1:]
        if text == before:
            return text


def _chat_word(word: str) -> bool:
    lowered = word.casefold()
    return lowered in CHAT_WORDS or bool(LAUGHTER.match(lowered))


def _trim_words(text: str, lang: str) -> str:
    """A lower-case article first, handles and chat words at either end, a final possessive."""
    words = text.split()
    articles = ARTICLES.get(lang, ())
    while words and (words[0].startswith("@") or _chat_word(words[0].strip(",.!?"))):
        words.pop(0)
    while words and (words[-1].startswith("@") or _chat_word(words[-1].strip(",.!?"))):
        words.pop()
    if len(words) > 1 and words[0] in articles:
        words.pop(0)
    elif words and lang == "fr" and words[0][:2] in ("l'", "l’") and len(words[0]) > 3:
        words[0] = words[0][2:]
    text = " ".join(words)
    if lang == "en":
        text = POSSESSIVE.sub("", text) if re.search(r"\w\s*['’´]\s*s$", text) else text
    return text


def _shouted_word(text: str, is_common: Callable[[str], bool]) -> bool:
    """One all-capitals word that is a common word in lower case (`GREAT`, `FREE`, `RUN`)."""
    return (
        " " not in text
        and len(text) >= 3
        and text.isalpha()
        and text.isupper()
        and is_common(text.lower())
    )


def name_like(text: str, is_common: Callable[[str], bool] = lambda _: False) -> bool:
    """Worth storing as a name: two characters or more with a letter, not a URL, chat word or
    shouted common word."""
    return (
        len(text) >= 2
        and any(c.isalpha() for c in text)
        and not URL.search(text)
        and not text.startswith("@")
        and not _chat_word(text)
        and not _shouted_word(text, is_common)
    )


def _person_parts(text: str) -> list[str]:
    """A person span split at commas (`Dwayne, Ty`; not before `Jr.`), numbers after a name cut
    (a player's shirt number or score: `Oliver Neuville 14`)."""
    return [PERSON_NUMBER.sub("", part) for part in PERSON_LIST.split(text)]


def tidy(
    text: str, lang: str, is_common: Callable[[str], bool] = lambda _: False, label: str = ""
) -> list[str]:
    """The names inside one recognised span, split at separators, trimmed, junk dropped."""
    names = []
    parts = SEPARATOR.split(text)
    if label == "PER":
        parts = [p for part in parts for p in _person_parts(part)]
    for part in parts:
        part = _trim_edges(_trim_words(_trim_edges(part), lang))
        if name_like(part, is_common):
            names.append(part)
    return names


@cache
def alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str] | None:
    """The brand aliases written as names (not handles or hashtags), longest first, each as a
    whole word and case-sensitive: as configured (`Zest`, not the `zest` of a lemon)."""
    names = sorted(
        {a for a in aliases if a[:1] not in "@#" and any(c.isupper() or c.isdigit() for c in a)},
        key=lambda a: (-len(a), a),
    )
    if not names:
        return None
    body = "|".join(re.escape(unicodedata.normalize("NFC", a)) for a in names)
    return re.compile(rf"(?<![\w@#])(?:{body})(?!\w)")


Span = tuple[int, str, str]  # start character, text, unified label


def brand_spans(text: str, pattern: re.Pattern[str] | None) -> list[Span]:
    """The aliases written in `text` as ORG spans."""
    return [(m.start(), m.group(0), "ORG") for m in pattern.finditer(text)] if pattern else []


def unified(
    spans: Iterable[Span],
    text: str,
    lang: str,
    aliases: tuple[str, ...] = (),
    is_common: Callable[[str], bool] = lambda _: False,
) -> list[Entity]:
    """The recogniser's spans (start, text, unified label) → entities to store: tidied, the
    brands as ORG (a span overlapping a brand gives way to it: `chez Fibréa`), each
    (text, label) once, in text order."""
    brands = brand_spans(text, alias_pattern(aliases))
    taken = [(start, start + len(brand)) for start, brand, _ in brands]
    named = [
        (start, name, label)
        for start, span, label in spans
        if not any(start < end and begin < start + len(span) for begin, end in taken)
        for name in tidy(span, lang, is_common, label)
    ]
    found: list[Entity] = []
    seen: set[tuple[str, str]] = set()
    for _, name, label in sorted([*brands, *named], key=lambda s: s[0]):
        if (name, label) not in seen:
            seen.add((name, label))
            found.append({"text": name, "label": label})
    return found
