r"""A pattern that must not follow certain characters, searched by its own start.

`(?<![\w@#])nuage` cannot skip ahead to where `nuage` may start: the regex engine looks for a
literal prefix only at the head of a pattern, and the lookbehind hides it, so the pattern is tried
at every position of the text. Searched as `nuage`, each hit's previous character then checked, it
gives the same matches at the same places, sooner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Unglued:
    """`(?<!{before}){body}`: `before` a pattern of one character, `body` one that matches no
    empty string. `spans` finds what `pattern.finditer` finds."""

    def __init__(self, before: str, body: str, flags: int = 0) -> None:
        self.pattern = re.compile(rf"(?<!{before}){body}", flags)
        self._body = re.compile(body, flags)
        self._before = re.compile(before, flags)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """The spans of `self.pattern.finditer(text)`, in order."""
        search, glued = self._body.search, self._before.match
        pos = 0
        while (found := search(text, pos)) is not None:
            start, end = found.span()
            if start and glued(text, start - 1):
                pos = start + 1  # the body may still match later, even overlapping this hit
                continue
            yield start, end
            pos = end if end > start else start + 1
