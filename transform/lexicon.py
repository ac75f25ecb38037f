"""The sentiment word lists, read once from the text files in `transform/lexicons/`.

Linguists edit the files, not this module: `<lang>.general.txt` (general vocabulary),
`<lang>.curated.txt` (customer-service words, slang, fixes to TextBlob / textblob-fr; wins over
the general file), the rule word lists `<lang>.<rule>.txt`, and `emoji.txt` / `emoticons.txt`.
Each file says in its header what it holds and which rule reads it. Format: one entry per line,
`entry value` (an entry of several words is a phrase) or a bare word for word lists; lines starting
with `#` are comments. A file's last line for an entry wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

LEXICON_DIR = Path(__file__).parent / "lexicons"
LANGUAGES = ("en", "fr")
_T = TypeVar("_T")


def entries(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(`file:line`, fields) for every line that is neither blank nor a comment."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            yield f"{path.name}:{number}", fields


def by_first_word(
    phrases: Mapping[tuple[str, ...], float],
) -> dict[str, list[tuple[tuple[str, ...], float]]]:
    """Phrases grouped by first word, longest first in each group: the order a matcher tries
    them in, and only a token's own group can match at it."""
    grouped: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for phrase, value in sorted(phrases.items(), key=lambda entry: -len(entry[0])):
        grouped.setdefault(phrase[0], []).append((phrase, value))
    return grouped


def read_values(name: str) -> dict[tuple[str, ...], float]:
    """`entry… value` lines as entry words → value, as written (no case folding, no clamping)."""
    values: dict[tuple[str, ...], float] = {}
    for where, fields in entries(LEXICON_DIR / name):
        *words, value = fields
        try:
            if not words:
                raise ValueError
            values[tuple(words)] = float(value)
        except ValueError:
            raise ValueError(f"{where}: expected `entry value`, got {' '.join(fields)!r}") from None
    return values


def read_table(name: str) -> dict[str, float]:
    """`entry value` lines where the entry is one token (emoji, emoticon, intensifier)."""
    table = {}
    for words, value in read_values(name).items():
        if len(words) != 1:
            raise ValueError(f"{name}: {' '.join(words)!r} is not one token")
        table[words[0]] = value
    return table


def read_words(name: str) -> frozenset[str]:
    """One word per line."""
    words = set()
    for where, fields in entries(LEXICON_DIR / name):
        if len(fields) != 1:
            raise ValueError(f"{where}: expected one word, got {' '.join(fields)!r}")
        words.add(fields[0])
    return frozenset(words)


def polarities(name: str) -> dict[tuple[str, ...], float]:
    """Words or phrases → polarity, lower-cased and clamped to [-1, 1]."""
    return {
        tuple(w.lower() for w in words): max(-1.0, min(1.0, value))
        for words, value in read_values(name).items()
    }


def _by_language(read: Callable[[str], _T], rule: str) -> dict[str, _T]:
    return {lang: read(f"{lang}.{rule}.txt") for lang in LANGUAGES}


# Word and phrase polarities: general vocabulary, then the curated words (single) and phrases.
GENERAL: dict[str, dict[tuple[str, ...], float]] = _by_language(polarities, "general")
_CURATED = _by_language(polarities, "curated")
OVERRIDES: dict[str, dict[str, float]] = {
    lang: {w[0]: v for w, v in curated.items() if len(w) == 1} for lang, curated in _CURATED.items()
}
PHRASES: dict[str, dict[tuple[str, ...], float]] = {
    lang: {w: v for w, v in curated.items() if len(w) > 1} for lang, curated in _CURATED.items()
}
EMOJI: dict[str, float] = read_table("emoji.txt")
EMOTICONS: dict[str, float] = read_table("emoticons.txt")

# Rule word lists (each file's header says which rule reads it).
NEGATIONS: dict[str, frozenset[str]] = _by_language(read_words, "negations")
INTENSIFIERS: dict[str, dict[str, float]] = _by_language(read_table, "intensifiers")
CONTRAST: dict[str, frozenset[str]] = _by_language(read_words, "contrast")
IRONIC_WHEN_COMPLAINING: dict[str, frozenset[str]] = _by_language(read_words, "irony")
DURATION_WORDS: dict[str, frozenset[str]] = _by_language(read_words, "durations")
COMPLAINT_WORDS: dict[str, frozenset[str]] = _by_language(read_words, "complaints")
RESOLUTION_WORDS: dict[str, frozenset[str]] = _by_language(read_words, "resolutions")
LEAVE_VERBS: dict[str, frozenset[str]] = _by_language(read_words, "leave")
DESTINATION_WORDS: dict[str, frozenset[str]] = _by_language(read_words, "destinations")
