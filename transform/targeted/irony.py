"""Irony and praise that is not praise.

A sarcasm emoji (🙃 🙄) ironises the praise between the contrast words around it; politeness or
praise words (`thanks`, `bravo`, `merci`) beside a complaint, praise inside scare quotes, a short
praise clause (`Yay,`, `Trop bien,`) whose window is negative without it, a sarcasm frame (`love how
A …`, `j'adore quand A …`, `quelle joie de`) left out of the window; a stance adverb opening a
sentence (`Honestly,`, `Franchement,`) is no praise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transform import lexicon, sentiment
from transform.caseless import ignorecase_lowered
from transform.targeted.clauses import _contrast_opens
from transform.targeted.text import Span, _tokens_in

# Scare quotes around a few words (`"unlimited"`, `« amélioré »`): the writer does not buy them.
_SCARE_QUOTES = re.compile(r"[\"“«]\s*[^\"“”«»]{1,40}?\s*[\"”»]")
SCARE_QUOTE_VALENCE = -0.3
# Praise frames whose object is usually a complaint (`Love how A charged me twice`, `J'adore quand
# A coupe la ligne`): a window opening on one is negative unless what follows is praise.
_SARCASM_FRAMES = {
    "en": (
        "love how",
        "loving how",
        "love it when",
        "gotta love how",
        "gotta love it when",
        "amazing how",  # round eight
        "funny how",
    ),
    "fr": (
        "adore comment",
        "adore quand",
        "quelle joie de",
        "quel bonheur de",
        "quel plaisir de",
        "incroyable comme",  # round eight
        "c'est fou comme",
        "marrant comme",
    ),
}
_ANY_FRAME = {
    lang: re.compile("|".join(map(re.escape, frames)), re.IGNORECASE)
    for lang, frames in _SARCASM_FRAMES.items()
}
FRAMED_MARGIN = 0.1
# Emoji that mark the praise around them as sarcasm ("Thanks X for the fee 🙃").
IRONY_EMOJI = frozenset({"🙃", "🙄", "😒", "🤡", "😑"})
# A stance adverb opening a sentence (`Honestly, …`, `Franchement, …`) frames what follows; it is
# no praise of its own (the lexicon gives `honestly` +0.6). Only its praise is dropped:
# `Seriously A, …` keeps its exasperation.
_STANCE = frozenset(
    {"honestly", "seriously", "frankly", "really", "truly", "tbh", "franchement", "honnêtement"}
    | {"sérieusement", "vraiment", "clairement", "sincèrement"}
)


def _sarcasm_frames(text: str, lang: str) -> list[Span]:
    """Where a sarcasm frame (`love how`, `j'adore quand`, `quelle joie de`) opens a clause."""
    found: list[Span] = []
    lowered = ignorecase_lowered(text)
    if lowered is not None:
        held = any(frame in lowered for frame in _SARCASM_FRAMES.get(lang, ()))
    else:
        held = lang in _ANY_FRAME and bool(_ANY_FRAME[lang].search(text))
    if not held:
        return found  # no frame's words at all: the patterns below (slow to scan) cannot match
    for phrase in _SARCASM_FRAMES.get(lang, ()):
        pattern = rf"(?:^|(?<=[\s,.;:!?(]))(?:i\s+|j'|j’)?{re.escape(phrase)}(?!\w)"
        found.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return sorted(found)


def _sarcastic(analysis: sentiment.Analysis) -> bool:
    """A sarcasm emoji (🙃 🙄) in the text: its praise is not meant."""
    return any(t.kind == "emoji" and t.text[:1] in IRONY_EMOJI for t in analysis.tokens)


def _ironic(analysis: sentiment.Analysis, indices: Sequence[int], valences: list[float]) -> bool:
    """A sarcasm emoji, or praise beside a complaint in the same window."""
    lang = analysis.lang
    tokens = analysis.tokens
    if any(tokens[i].kind == "emoji" and tokens[i].text[:1] in IRONY_EMOJI for i in indices):
        return True
    polite = lexicon.IRONIC_WHEN_COMPLAINING.get(lang, frozenset())
    complaints = lexicon.COMPLAINT_WORDS.get(lang, frozenset())
    words = {tokens[i].text for i in indices}
    if not words & polite:
        return False
    return bool(words & complaints) or any(valences[i] <= -0.5 for i in indices)


def _stance_openers(analysis: sentiment.Analysis) -> list[int]:
    """Stance adverbs (`Honestly,`, `Franchement,`) that open a sentence."""
    tokens = analysis.tokens
    return [
        i
        for i, t in enumerate(tokens)
        if t.kind == "word"
        and t.text in _STANCE
        and (i == 0 or tokens[i - 1].kind in ("stop", "bang", "emoji"))
    ]


def _irony_per_clause(
    analysis: sentiment.Analysis, valences: list[float], clauses: Sequence[Span]
) -> None:
    lang = analysis.lang
    polite = lexicon.IRONIC_WHEN_COMPLAINING.get(lang, frozenset())
    if polite.isdisjoint(analysis.texts):
        return  # (only a polite word is ever given back its praise)
    complaints = lexicon.COMPLAINT_WORDS.get(lang, frozenset())
    words = sentiment.word_lexicon(lang)
    tokens = analysis.tokens
    for a, b in clauses:
        inside = _tokens_in(analysis, [(a, b)])
        courteous = [i for i in inside if tokens[i].text in polite]
        if not courteous or any(tokens[i].text in complaints for i in inside):
            continue
        for i in courteous:
            token = tokens[i]
            original = words.get(token.text, 0.0) * token.emphasis
            if original > 0 and valences[i] < 0:
                others = [valences[j] for j in inside if j != i]
                if not any(v <= -0.5 for v in others):
                    valences[i] = original


def _sarcasm_emoji(
    analysis: sentiment.Analysis,
    valences: list[float],
    text: str = "",
    clauses: Sequence[Span] = (),
) -> None:
    """Praise in a sentence that carries a sarcasm emoji reads as its opposite, between the
    contrast words around the emoji (`A sorted it in ten minutes, but great job B, billed twice
    🙃`, `Bravo B 🙃, alors que A …`: the sarcasm is B's side only)."""
    if not _sarcastic(analysis):
        return
    tokens = analysis.tokens
    groups = analysis.sentence_groups
    opens = _contrast_opens(text, analysis.lang, clauses)
    for k, group in enumerate(groups):
        # The emoji often opens the next sentence's tokens ("… holiday 🙃 easyJet …").
        near = group + (groups[k + 1][:1] if k + 1 < len(groups) else [])
        emoji = [i for i in near if tokens[i].kind == "emoji" and tokens[i].text[:1] in IRONY_EMOJI]
        if not emoji:
            continue
        at = tokens[emoji[-1]].start
        start = max((a for a in opens if tokens[group[0]].start <= a <= at), default=-1)
        # Up to the next clause: cut after the emoji (`… the best 🙄 B never did`) or a contrast.
        end = min((a for a, _ in clauses if a > at), default=len(text) + 1)
        for i in group:
            if valences[i] > 0 and tokens[i].kind != "emoji" and start <= tokens[i].start < end:
                valences[i] = -0.8 * valences[i]
