"""Spans, the brand mask and the small token helpers every per-brand rule shares."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence

from transform import sentiment

Span = tuple[int, int]

# Brand names in a window become a handle: the rules drop handles, the model reads them as `@user`.
MASK = "@brand"
_DEMONSTRATIVES = frozenset({"celle", "celui", "ceux", "celles"})
# What a comparative or switch is worth on that scale.
ROLE_SCORE = 0.6


def _opens_or_ends_with(clause: str, markers: frozenset[str] | set[str]) -> bool:
    words = re.findall(r"\w+", clause)
    return bool(words) and (words[0] in markers or words[-1] in markers)


def _tokens_in(analysis: sentiment.Analysis, ranges: Sequence[Span]) -> list[int]:
    """Indices of the tokens starting inside `ranges` (in order), by bisection on the starts."""
    starts = analysis.starts
    if len(ranges) == 1:  # (already in order, each once)
        return list(range(bisect_left(starts, ranges[0][0]), bisect_left(starts, ranges[0][1])))
    found: list[int] = []
    for a, b in sorted(ranges):
        found.extend(range(bisect_left(starts, a), bisect_left(starts, b)))
    return sorted(set(found))


def _asked(tokens: Sequence[sentiment.Token], k: int) -> bool:
    """Token `k` is in a sentence that ends with a question mark."""
    end = next((t for t in tokens[k:] if t.kind in ("stop", "bang")), None)
    return end is not None and end.text.startswith("?")


def _nearest_brand(
    owner: Mapping[int, str], tokens: list[sentiment.Token], k: int, step: int
) -> tuple[int, str] | None:
    """The brand token closest to token `k` in one direction, within the sentence."""
    i = k + step
    while 0 <= i < len(tokens) and tokens[i].kind not in ("stop", "bang"):
        if i in owner:
            return i, owner[i]
        i += step
    return None


def _word_before(
    tokens: Sequence[sentiment.Token], starts: Sequence[int], start: int, skip: frozenset[str]
) -> int:
    """The index of the last word token before character `start` (`starts`: the tokens'), past
    words in `skip` (-1)."""
    i = bisect_left(starts, start) - 1
    while i >= 0 and tokens[i].kind == "word" and tokens[i].text in skip:
        i -= 1
    return i if i >= 0 and tokens[i].kind == "word" else -1
