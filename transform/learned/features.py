"""Features of one text: word 1-2-grams, character 2-5-grams and the rule engine's outputs.

The sparse n-grams carry vocabulary the lexicons miss; the dense rule outputs carry what a bag of
n-grams cannot see (negation scope, contrast, irony, emoji valence), so the rules stay in the loop.
Pure Python: the same code builds the training matrix and scores at inference.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from transform import lexicon, sentiment

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MAX_CHARS = 2_000  # a long article's polarity is set by its opening; bounds the cost per text

_URL = re.compile(r"https?://\S+|www\.\S+|\bhttp\b")
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")
_ELONGATION = re.compile(r"(.)\1{2,}")
_WORD = re.compile(
    r"#?[^\W\d_]+(?:['’][^\W\d_]+)*|[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]|[!?]+"
    r"|[:;=][-o]?[)(\]\[DPp/|@]+|<3"
)

_EMOJI_KINDS = frozenset({"emoji", "emoticon"})

DENSE_NAMES = (
    "rule_score",
    "rule_positive",
    "rule_negative",
    "positive_sum",
    "negative_sum",
    "positive_count",
    "negative_count",
    "negation",
    "contrast",
    "irony",
    "emoji_positive",
    "emoji_negative",
    "exclamation",
    "question",
    "caps",
    "length",
)


def normalise(text: str) -> str:
    """NFC, lower case, URLs → `http`, handles → `@user`, digits → `0`, elongations cut to two."""
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    # (The link and handle patterns, which try every position, run only when they can match.)
    if "http" in text or "www." in text:
        text = _URL.sub("http", text)
    if "@" in text:
        text = _HANDLE.sub("@user", text)
    text = _ELONGATION.sub(r"\1\1", _DIGITS.sub("0", text.lower()))
    return " ".join(text.split())  # `\s+` → one space, stripped: the same whitespace


def sparse_terms(normalised: str) -> list[str]:
    """Word 1-2-grams (`w:`) and character 2-5-grams inside padded words (`c:`)."""
    terms = word_terms(normalised)
    for word in normalised.split(" "):
        terms.extend(char_terms(word))
    return terms


def word_terms(normalised: str) -> list[str]:
    """The word 1-2-grams of `sparse_terms`."""
    words = word_tokens(normalised)
    terms = [f"w:{w}" for w in words]
    terms.extend(f"w:{a} {b}" for a, b in pairwise(words))
    return terms


def word_tokens(normalised: str) -> list[str]:
    """The words, emoji, `!`/`?` runs and emoticons of a normalised text (none holds a space)."""
    return _WORD.findall(normalised)


def char_terms(word: str) -> list[str]:
    """The character 2-5-grams of one space-free word of `sparse_terms`, padded with spaces."""
    padded = f" {word} "
    size = len(padded)
    low, high = CHAR_NGRAMS
    return [
        f"c:{padded[i : i + n]}"
        for n in range(low, min(high, size) + 1)
        for i in range(size - n + 1)
    ]


def dense_features(text: str, lang: str) -> list[float]:
    """The rule engine's view of `text`, in `DENSE_NAMES` order."""
    text = text[:MAX_CHARS]
    analysis = sentiment.analyse(text, lang)
    overall = analysis.score()
    tokens, valences = analysis.tokens, analysis.valences
    rules_lang = lang if lang in lexicon.LANGUAGES else "en"
    negations = lexicon.NEGATIONS[rules_lang]
    contrast = lexicon.CONTRAST[rules_lang]
    polite = lexicon.IRONIC_WHEN_COMPLAINING[rules_lang]
    positive = [v for v in valences if v > 0]
    negative = [v for v in valences if v < 0]
    emoji = [v for t, v in zip(tokens, valences, strict=True) if t.kind in _EMOJI_KINDS]
    words = {t.text for t in tokens}
    letters = list(filter(str.isalpha, text))
    return [
        overall.score,
        float(overall.label == sentiment.POSITIVE),
        float(overall.label == sentiment.NEGATIVE),
        sum(positive),
        sum(negative),
        float(len(positive)),
        float(len(negative)),
        float(not negations.isdisjoint(words)),
        float(not contrast.isdisjoint(words)),
        float(any(v < 0 and t.text in polite for t, v in zip(tokens, valences, strict=True))),
        float(sum(1 for v in emoji if v > 0)),
        float(sum(1 for v in emoji if v < 0)),
        float(text.count("!")),
        float(text.count("?")),
        sum(map(str.isupper, letters)) / len(letters) if letters else 0.0,
        float(len(tokens)) ** 0.5,
    ]
