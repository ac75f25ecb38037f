"""Rule-based sentiment for social posts, on top of the TextBlob (en) and textblob-fr (fr) lexicons.

TextBlob averages adjective polarities and ignores most of what carries sentiment on social media.
Here every token gets a valence from the corrected lexicon (`transform.lexicon`), then these rules
apply, in order (documented in `transform/README.md`):

1. phrases first (`merci pour rien`, `not bad`, `en panne`), then words, emoji and emoticons;
2. elongations are shortened (`soooo goooood` → `so good`) and count ×1.3; CAPS words ×1.3;
3. hashtags are read as words (`#fail`, `#BestDayEver` → `best day ever`);
4. an intensifier just before a word scales it (`very` ×1.5, `a bit` ×0.7); one that ends its
   clause is a word of its own (`c'est super.`);
5. a negation in the three tokens before (fr: also `pas`/`plus`/`jamais` just after), not across a
   contrast word, flips and damps it (×-0.6);
6. after a contrast word (`but`, `mais`) the rest of the sentence weighs ×1.5, the part before ×0.5;
7. politeness words in a sentence holding a complaint word, and no word of a fix (`fixed`,
   `réglé`), are read as irony (negative);
8. exclamation marks amplify the total (up to ×1.45).

The total `s` becomes a score `s / sqrt(s² + 1)` in [-1, 1]; the label is positive when the score is
at least the language's positive threshold, negative at most minus its negative threshold, else
neutral.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import pairwise

from transform import lexicon

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)
SUPPORTED = ("en", "fr")

# Decision thresholds on the score, tuned on the shared tuning sets (see README).
THRESHOLDS: dict[str, tuple[float, float]] = {"en": (0.30, 0.40), "fr": (0.25, 0.05)}
# Base-lexicon words weaker than this are noise on social text (e.g. `new`, `last`) and ignored.
MIN_BASE_POLARITY = 0.1
# Longer texts are analysed afresh each time, so the memory of `analyse` stays small.
MAX_REMEMBERED_CHARS = 2_000

_URL = r"(?:https?://\S+|www\.\S+)"
_EMOTICON = r"(?:>:\(|</3|<3|:'\(|[:;=][-o]?[)(\]\[DPp/|@]+|\b[xX]D\b|\^\^|\bD:)"
_EMOJI = "[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]\ufe0f?"
_HASHTAG = r"#\w+"
_HANDLE = r"@\w+"
_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_TOKEN = re.compile(
    rf"(?P<url>{_URL})|(?P<emoticon>{_EMOTICON})|(?P<emoji>{_EMOJI})|(?P<hashtag>{_HASHTAG})"
    rf"|(?P<handle>{_HANDLE})|(?P<word>{_WORD})|(?P<bang>!+)|(?P<stop>[.?;\n]+)"
)
_CAMEL = re.compile(r"[A-Z]?[a-zà-ÿ]+|[A-Z]+(?![a-z])|\d+")
_ELONGATED = re.compile(r"(.)\1{2,}")
_FR_ELISION = re.compile(r"^(n|j|l|d|m|t|s|c|qu|jusqu|lorsqu|puisqu)['’](.+)$", re.IGNORECASE)
_FR_AFTER_NEGATION = frozenset({"pas", "plus", "jamais", "rien"})
_SENTENCE_ENDS = frozenset({"stop", "bang"})


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "score": self.score}


@dataclass(slots=True)
class Token:
    text: str  # lower-cased, elongation removed
    start: int
    end: int
    kind: str  # word, hashtag, emoji, emoticon, stop, bang
    emphasis: float = 1.0


@dataclass
class Analysis:
    """Tokens of one text and each token's valence, so spans (one brand's clauses) can be scored."""

    lang: str
    tokens: list[Token]
    valences: list[float]

    @cached_property
    def starts(self) -> list[int]:
        """Each token's start, in order: the per-brand rules bisect it many times per post
        (tokens never change once `tokenize` has made them, so it is read once)."""
        return [t.start for t in self.tokens]

    @cached_property
    def sentence_groups(self) -> list[list[int]]:
        """`sentences(self.tokens)`, made once: the per-brand rules walk a post's sentences
        several times (and change none)."""
        return sentences(self.tokens)

    @cached_property
    def texts(self) -> frozenset[str]:
        """Every token's text: the per-brand rules ask whether a post holds any of their words
        at all before they walk its tokens."""
        return frozenset(t.text for t in self.tokens)

    def score(self, indices: list[int] | None = None) -> Sentiment:
        chosen = self.valences if indices is None else [self.valences[i] for i in indices]
        total = sum(chosen)
        bangs = sum(
            len(self.tokens[i].text)
            for i in (indices or range(len(self.tokens)))
            if self.tokens[i].kind == "bang"
        )
        total *= 1 + 0.15 * min(bangs, 3)
        return to_sentiment(total, self.lang)


def to_sentiment(total: float, lang: str) -> Sentiment:
    score = round(total / math.sqrt(total * total + 1.0), 4)
    pos, neg = THRESHOLDS.get(lang, (0.3, 0.3))
    label = POSITIVE if score >= pos else NEGATIVE if score <= -neg else NEUTRAL
    return Sentiment(label, score)


@cache
def _base_lexicon(lang: str) -> dict[str, float]:
    """The TextBlob / textblob-fr lexicon as word → mean polarity, clamped to [-1, 1]."""
    if lang == "en":
        from textblob.en import sentiment as source
    else:
        from textblob_fr.fr import sentiment as source
    source.load()
    words: dict[str, float] = {}
    for word, senses in source.items():
        polarity = senses.get(None, next(iter(senses.values())))[0]
        if abs(polarity) >= MIN_BASE_POLARITY:
            words[word.lower()] = max(-1.0, min(1.0, polarity))
    return words


@cache
def word_lexicon(lang: str) -> dict[str, float]:
    """Base lexicon, then the general vocabulary file, then the curated words."""
    words = dict(_base_lexicon(lang))
    words.update({w[0]: v for w, v in lexicon.GENERAL[lang].items() if len(w) == 1})
    words.update(lexicon.OVERRIDES[lang])
    return words


@cache
def _phrases_by_first_word(lang: str) -> dict[str, list[tuple[tuple[str, ...], float]]]:
    """The multi-word entries and phrases of `lang`, grouped by first word, longest first."""
    multi_word = {w: v for w, v in lexicon.GENERAL[lang].items() if len(w) > 1}
    return lexicon.by_first_word({**multi_word, **lexicon.PHRASES[lang]})


def tokenize(text: str, lang: str) -> list[Token]:
    """Words, hashtags (split), emoji, emoticons, `!` runs and stops; URLs/handles dropped.

    No token holds a space or needs one beside it to be found (the `\\b` of an emoticon reads a
    space as the text's edge), so a text's tokens are its space-separated chunks' in order; a
    chunk's are remembered (chunks recur across posts far more often than they are new)."""
    tokens: list[Token] = []
    append = tokens.append
    offset = 0
    for chunk in text.split(" "):
        if chunk:
            for part, start, end, kind, emphasis in _chunk_tokens(chunk, lang):
                append(Token(part, offset + start, offset + end, kind, emphasis))
        offset += len(chunk) + 1
    return tokens


# Chunks remembered (about 1 kB each with their words' entries): the frequent ones of real posts.
@lru_cache(maxsize=10_000)
def _chunk_tokens(chunk: str, lang: str) -> tuple[tuple[str, int, int, str, float], ...]:
    """`_scanned(chunk, lang)` as fields."""
    return tuple((t.text, t.start, t.end, t.kind, t.emphasis) for t in _scanned(chunk, lang))


def _scanned(text: str, lang: str) -> list[Token]:
    """The tokens of `text` from one scan of it (`tokenize` gives the same, sooner)."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "word":  # most tokens: the word's parts are remembered per word and language
            start, end = match.span()
            pieces = _word_parts(match.group(), lang)
            if len(pieces) == 1:  # (most words: one part, the whole word)
                append(Token(pieces[0][0], start, end, "word", pieces[0][3]))
                continue
            for part, offset, length, emphasis in pieces:
                part_end = end if length < 0 else start + offset + length
                append(Token(part, start + offset, part_end, "word", emphasis))
            continue
        if kind in ("url", "handle"):
            continue
        raw = match.group()
        start, end = match.span()
        if kind == "hashtag":
            body = raw[1:]
            parts = _CAMEL.findall(body) if any(c.isupper() for c in body[1:]) else [body]
            tokens.extend(_word_tokens(p, start, end, lang) for p in parts if not p.isdigit())
        elif kind == "bang":
            append(Token(raw, start, end, kind, len(raw)))
        else:
            append(Token(raw if kind in ("emoticon", "emoji") else raw[0], start, end, kind))
    return tokens


@lru_cache(maxsize=100_000)
def _word_parts(raw: str, lang: str) -> tuple[tuple[str, int, int, float], ...]:
    """A matched word's tokens as (text, start offset, length or -1 for "to the word's end",
    emphasis): French elisions (`l'appli`, `qu'ils`) give their prefix a token of its own."""
    lowered = raw.replace("’", "'").lower()
    if lang == "fr" and (elided := _FR_ELISION.match(lowered)):
        prefix = elided.group(1) + "'"
        form, emphasis = _word_form(elided.group(2), lang, _shouted(raw))
        return ((prefix, 0, len(prefix), 1.0), (form, len(prefix), -1, emphasis))
    form, emphasis = _word_form(lowered, lang, _shouted(raw))
    return ((form, 0, -1, emphasis),)


def _shouted(raw: str) -> bool:
    return len(raw) >= 3 and raw.isupper()


def _word_tokens(word: str, start: int, end: int, lang: str, raw: str = "") -> Token:
    lowered, emphasis = _word_form(word, lang, _shouted(raw))
    return Token(lowered, start, end, "word", emphasis)


@lru_cache(maxsize=100_000)
def _word_form(word: str, lang: str, shouted: bool) -> tuple[str, float]:
    """A word's lexicon form (lower case, elongation cut when that finds it) and emphasis."""
    lowered = word.lower()
    emphasis = 1.0
    known = word_lexicon(lang)
    if lowered not in known and _ELONGATED.search(lowered):
        double = _ELONGATED.sub(r"\1\1", lowered)
        single = re.sub(r"(.)\1+", r"\1", lowered)
        lowered = double if double in known else single
        emphasis = 1.3
    if shouted:
        emphasis *= 1.3
    return lowered, emphasis


@lru_cache(maxsize=100_000)
def _lookup(word: str, lang: str) -> float:
    """A word's valence in `lang`'s vocabulary (a plural or feminine retried as its base), or 0:
    asked for every word of every text, so remembered."""
    words = word_lexicon(lang)
    if word in words:
        return words[word]
    if lang == "en" and len(word) > 3 and word.endswith("s") and word[:-1] in words:
        return words[word[:-1]]
    if lang == "fr" and len(word) > 3:
        # Plural then feminine: `menacées` → `menacée` → `menacé`, `nulles` → `nul`.
        stem = word[:-1] if word[-1] in "sx" else word
        for form in (stem, stem[:-1] if stem.endswith("e") else None):
            if form and form != word and form in words:
                return words[form]
    return 0.0


def analyse(text: str, lang: str) -> Analysis:
    """Tokens and per-token valences of `text` in `lang` (en or fr; others score zero).

    A post is analysed by the learned backend's features and again for its brands: the last few
    thousand short texts are remembered, and each caller gets its own lists (tokens are shared;
    nothing changes a token once `tokenize` has made it).
    """
    if len(text) > MAX_REMEMBERED_CHARS:
        return _analyse(text, lang)
    remembered = _remembered(text, lang)
    return Analysis(remembered.lang, list(remembered.tokens), list(remembered.valences))


@lru_cache(maxsize=4096)
def _remembered(text: str, lang: str) -> Analysis:
    return _analyse(text, lang)


def _analyse(text: str, lang: str) -> Analysis:
    if lang not in SUPPORTED:
        tokens = tokenize(text, "en")
        return Analysis(lang, tokens, [0.0] * len(tokens))
    tokens = tokenize(text, lang)
    valences = [0.0] * len(tokens)
    words = [t.text for t in tokens]
    phrases = _phrases_by_first_word(lang)
    negations = lexicon.NEGATIONS[lang]
    intensifiers = lexicon.INTENSIFIERS[lang]
    covered: set[int] = set()
    for i, word in enumerate(words):
        if word in phrases:
            for phrase, value in phrases[word]:
                if tuple(words[i : i + len(phrase)]) == phrase:
                    valences[i] = value
                    covered.update(range(i, i + len(phrase)))
                    break
    for i, token in enumerate(tokens):
        kind = token.kind
        if kind == "word":
            if token.text in negations or i in covered:
                continue
        elif i in covered:
            continue
        elif kind == "emoji":
            valences[i] = lexicon.EMOJI.get(token.text, lexicon.EMOJI.get(token.text[:1], 0.0))
            continue
        elif kind == "emoticon":
            valences[i] = lexicon.EMOTICONS.get(token.text, 0.0)
            continue
        else:
            continue
        if token.text in intensifiers and _modifies(tokens, i):
            continue  # `super cher`: it scales the next word; `c'est super.` is praise
        value = _lookup(token.text, lang) * token.emphasis
        if not value:
            continue
        value *= _intensity(words, tokens, i, intensifiers)
        if _negated(words, tokens, i, negations, lang):
            value *= -0.6
        valences[i] = value
    _apply_contrast_and_irony(tokens, valences, lang)
    return Analysis(lang, tokens, valences)


def _modifies(tokens: list[Token], i: int) -> bool:
    """An intensifier followed by a word in its clause scales that word."""
    return i + 1 < len(tokens) and tokens[i + 1].kind == "word"


def _intensity(words: list[str], tokens: list[Token], i: int, intensifiers: dict) -> float:
    for j in (i - 1, i - 2):
        if j >= 0 and tokens[j].kind == "word" and words[j] in intensifiers:
            return intensifiers[words[j]]
    return 1.0


def _negated(
    words: list[str], tokens: list[Token], i: int, negations: frozenset, lang: str
) -> bool:
    contrast = lexicon.CONTRAST.get(lang, frozenset())
    for j in range(i - 1, max(-1, i - 4), -1):
        if tokens[j].kind in ("stop", "bang") or words[j] in contrast:
            break  # `not good, but terrible`: the negation does not reach past `but`
        if words[j] in negations:
            return True
    return (
        lang == "fr"
        and i + 1 < len(tokens)
        and tokens[i + 1].kind == "word"
        and words[i + 1] in _FR_AFTER_NEGATION
    )


def sentences(tokens: list[Token]) -> list[list[int]]:
    """Token indices grouped by sentence (split on . ? ; ! and new lines)."""
    ends = [i + 1 for i, token in enumerate(tokens) if token.kind in _SENTENCE_ENDS]
    if not ends or ends[-1] != len(tokens):
        ends.append(len(tokens))
    return [list(range(start, end)) for start, end in pairwise([0, *ends]) if end > start]


def _apply_contrast_and_irony(tokens: list[Token], valences: list[float], lang: str) -> None:
    contrast = lexicon.CONTRAST[lang]
    polite = lexicon.IRONIC_WHEN_COMPLAINING[lang]
    complaints = lexicon.COMPLAINT_WORDS[lang]
    durations = lexicon.DURATION_WORDS[lang]
    resolutions = lexicon.RESOLUTION_WORDS[lang]
    for group in sentences(tokens):
        words = [tokens[i].text for i in group]
        pivot = next((k for k, w in enumerate(words) if w in contrast), None)
        if pivot is not None:
            for k, i in enumerate(group):
                valences[i] *= 0.5 if k < pivot else 1.5
        if polite.isdisjoint(words):
            continue  # (only a polite word is read as irony)
        negative = [valences[i] for i in group if valences[i] < 0]
        has_complaint = (
            not complaints.isdisjoint(words)
            or any(v <= -0.5 for v in negative)
            or (bool(negative) and not durations.isdisjoint(words))
        )
        if has_complaint and resolutions.isdisjoint(words):
            for k, i in enumerate(group):
                if words[k] in polite and valences[i] > 0:
                    valences[i] = -0.4


def score_text(text: str, lang: str) -> Sentiment:
    """Sentiment of a whole text."""
    return analyse(text, lang).score()
