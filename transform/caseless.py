"""Case-insensitive patterns run case-sensitively on the lowered text: the same matches, sooner.

A pattern compiled with `re.IGNORECASE` cannot skip ahead to where it may start (the regex engine
looks for a first character or a prefix only in case-sensitive patterns), so it is tried at every
position of the text. Written in lower case and run on the lowered text, it finds the same matches
at the same places, as long as each of its literal characters is one `re.IGNORECASE` equates with
exactly the characters that lower to it (`SAFE`, checked on every Unicode character by
`tests/transform/test_caseless.py`) and the text holds none of `ı`, `ſ`, `İ`.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterator
from functools import lru_cache

# `re.IGNORECASE` reads `ı` as `i` and `ſ` as `s`, which `str.lower` leaves as they are; `İ`
# lowers to two characters.
_FOLDED_APART = ("ı", "ſ", "İ")


@lru_cache(maxsize=16)  # (a post's rules each ask for it)
def ignorecase_lowered(text: str) -> str | None:
    """`text` lower-cased, its characters where they were: a pattern written in lower case (its
    literals `SAFE` characters; classes such as `\\w` or `\\s`) matches it case-sensitively where
    it matches `text` with `re.IGNORECASE`, so a word such a pattern needs can be looked for with
    `in`. None when the text holds `ı`, `ſ` or `İ`, which the two fold apart: then run the
    case-insensitive pattern on `text`."""
    return None if any(c in text for c in _FOLDED_APART) else text.lower()


class Caseless:
    """A case-insensitive pattern written in lower case, run case-sensitively on the text lowered
    by `ignorecase_lowered` when it can be: the same matches at the same places, found sooner (a
    case-sensitive pattern skips ahead to where it can start). Their groups are lower-cased."""

    def __init__(self, pattern: str) -> None:
        self.ignorecase = re.compile(pattern, re.IGNORECASE)
        self.lower_case = re.compile(pattern)

    def finditer(
        self, text: str, lowered: str | None, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """The matches in `text` (from `pos` to `endpos`), given `ignorecase_lowered(text)`."""
        if lowered is None:
            return self.ignorecase.finditer(text, pos, endpos)
        return self.lower_case.finditer(lowered, pos, endpos)


# The literal characters a lower-case pattern may hold: ASCII letters, digits and punctuation,
# the letters of French, and the space.
SAFE = frozenset(
    string.ascii_lowercase + string.digits + string.punctuation + " ’àâäçéèêëîïôöùûüÿœæñ"
)


def is_safe(pattern_text: str) -> bool:
    """`pattern_text` (a literal in lower case) holds only `SAFE` characters."""
    return all(c in SAFE for c in pattern_text)
