"""Turns the vocabulary of `phrases.yml` into posts whose true brands and polarity are known.

The composer never decides *what* a post says about whom (the generator does); it only writes it:
one core sentence naming the brand(s), a few detail sentences of the same tone, and the decorations
of social text (intensifiers, elongations, emoji, hashtags, @handles).
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from demo.model import Polarity

PHRASES_FILE = Path(__file__).with_name("phrases.yml")
MIN_WORDS = 20
MAX_WORDS = 70
_PLACEHOLDER = re.compile(r"\{(brand|other|better|worse)\}")


@cache
def phrases() -> dict[str, Any]:
    """The vocabulary (read once, on first use)."""
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def own_brand() -> str:
    return next(name for name, spec in phrases()["brands"].items() if spec.get("own"))


@cache
def _context_pattern() -> re.Pattern[str]:
    terms = sorted(phrases()["context_terms"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.I)


def has_context(text: str) -> bool:
    """Whether `text` holds a telecom context term that disambiguates "Nuage" / "Zest"."""
    return bool(_context_pattern().search(text))


def word_count(text: str) -> int:
    return len(text.split())


def brand_form(rng: random.Random, brand: str, sentence: str, formal: bool = False) -> str:
    """One way to write `brand`; an ambiguous form only where the sentence gives it context,
    no @handle in `formal` (journalistic) text."""
    spec = phrases()["brands"][brand]
    forms: dict[str, int] = spec["forms"]
    if formal:
        forms = {f: w for f, w in forms.items() if not f.startswith("@")}
    if not has_context(_PLACEHOLDER.sub("", sentence)):
        ambiguous = set(spec.get("ambiguous", []))
        forms = {f: w for f, w in forms.items() if f not in ambiguous}
    names = list(forms)
    return rng.choices(names, weights=[forms[n] for n in names])[0]


def fill(rng: random.Random, template: str, formal: bool = False, **values: str) -> str:
    """Fill a template; brand placeholders get a written form chosen per sentence."""
    chosen = {
        key: brand_form(rng, value, template, formal)
        if key in ("brand", "other", "better", "worse")
        else value
        for key, value in values.items()
    }
    return template.format_map(_Default(chosen))


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"template placeholder {{{key}}} has no value")


def _decorate(
    rng: random.Random, lang: str, text: str, polarity: Polarity, brands: list[str]
) -> str:
    decor = phrases()[lang]["decor"]
    if rng.random() < 0.15:
        first = text.split(maxsplit=1)[0]
        keep_case = first[0] in "@#" or any(
            form.startswith(first)
            for spec in phrases()["brands"].values()
            for form in spec["forms"]
        )
        text = rng.choice(decor["intensifiers"]) + (
            text if keep_case else text[0].lower() + text[1:]
        )
    if rng.random() < 0.2:
        for plain, long in decor["elongate"].items():
            pattern = re.compile(rf"(?<!\w){re.escape(plain)}(?!\w)")
            if pattern.search(text):
                text = pattern.sub(long, text, count=1)
                break
    if rng.random() < 0.5:
        emoji = rng.choice(decor["emoji"][polarity])
        if emoji:
            text = f"{text} {emoji}"
    if rng.random() < 0.2:
        tags = list(decor["hashtags"])
        for brand in brands:
            tags += phrases()["brands"][brand]["hashtags"]
        text = f"{text} {rng.choice(tags)}"
    return text


def post_text(
    rng: random.Random,
    lang: str,
    brands: dict[str, Polarity],
    incident: bool = False,
    reply_to: str | None = None,
) -> str:
    """A 20–70 word post with the given true polarity towards each brand (0, 1 or 2 brands)."""
    vocab = phrases()[lang]
    names = list(brands)
    if len(names) == 2:
        better, worse = sorted(names, key=lambda b: brands[b] != "positive")
        core = fill(rng, rng.choice(vocab["contrast"]), better=better, worse=worse)
        tone: Polarity = "positive"
    elif len(names) == 1:
        (brand,) = names
        tone = brands[brand]
        pool = vocab["incident"] if incident else vocab["core"][tone]
        core = fill(rng, rng.choice(pool), brand=brand)
    else:
        tone = "neutral"
        core = rng.choice(vocab["generic"])
    details = list(vocab["details"]["incident" if incident else tone])
    rng.shuffle(details)
    sentences = [core]
    while details and (word_count(" ".join(sentences)) < MIN_WORDS or rng.random() < 0.3):
        candidate = details.pop()
        if word_count(" ".join([*sentences, candidate])) > MAX_WORDS - 6:
            break
        sentences.append(candidate)
    if reply_to and rng.random() < 0.4:
        sentences.insert(0, fill(rng, rng.choice(vocab["replies"]), handle=reply_to))
    return _decorate(rng, lang, " ".join(sentences), tone, names)


def homonym_text(rng: random.Random, lang: str, word: str) -> str:
    """A post using "nuage" / "zest" as a common word (`word` is "nuage" or "zest")."""
    return rng.choice(phrases()[lang][f"homonym_{word}"])


def spam_text(rng: random.Random, lang: str, brand: str, ref: str, code: str) -> str:
    """An opportunist's promo post with a referral link (repeated verbatim across threads)."""
    return fill(rng, rng.choice(phrases()[lang]["spam"]), brand=brand, ref=ref, code=code)


def article_text(
    rng: random.Random, lang: str, brand: str, polarity: Polarity, topic: str, incident: bool
) -> tuple[str, tuple[str, ...]]:
    """A news article about `brand`: its title and 3–4 paragraphs."""
    vocab = phrases()[lang]["article"]
    tone = "incident" if incident else polarity
    titles = vocab["titles"][topic]
    title = fill(rng, rng.choice(titles.get(tone) or titles[polarity]), formal=True, brand=brand)
    pool = list(vocab["paragraphs"][tone])
    rng.shuffle(pool)
    extra = list(vocab["paragraphs"]["neutral"])
    rng.shuffle(extra)
    chosen = pool[: rng.randint(2, len(pool))] + extra[:1]
    paragraphs = tuple(fill(rng, p, formal=True, brand=brand) for p in dict.fromkeys(chosen))
    return title, paragraphs
