"""Readers for the labelled posts in the shared data folder (tuning, measuring; never shipped)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def default_root() -> Path:
    """`../shared/data` beside the repository."""
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _tweet_eval(folder: Path, split: str, lang: str) -> Iterator[dict[str, str]]:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split("\n")
    for text, label in zip(texts, labels, strict=False):
        if label.strip():
            yield {"text": text, "lang": lang, "label": TWEET_LABELS[label.strip()]}


def _allocine(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) >= 2:
                label = "positive" if row[0].strip() == "1" else "negative"
                yield {"text": row[1], "lang": "fr", "label": label}


SETS = {
    "semeval_sentiment_train_en": lambda r: _tweet_eval(
        r / "semeval_sentiment_train_en", "train", "en"
    ),
    "tweeteval_sentiment_val": lambda r: _tweet_eval(r / "tweeteval_sentiment_val", "val", "en"),
    "french_tweets_val": lambda r: _tweet_eval(r / "french_tweets_trainval", "val", "fr"),
    "french_tweets_train": lambda r: _tweet_eval(r / "french_tweets_trainval", "train", "fr"),
    "allocine_tv_reviews_fr_dev": lambda r: _allocine(r / "allocine_tv_reviews_fr" / "dev.tsv"),
}


# The learned model trains on these sets only and is never scored on them; it is tuned on these.
TRAINING_SETS = {"en": ("semeval_sentiment_train_en",), "fr": ("french_tweets_train",)}
TUNING_SETS = {"en": "tweeteval_sentiment_val", "fr": "french_tweets_val"}


def load(name: str, root: Path | None = None) -> list[dict[str, str]]:
    return list(SETS[name](root or default_root()))


def files(name: str, root: Path | None = None) -> list[Path]:
    """The files a set is read from (their sha256 goes into the model's metadata)."""
    base = root or default_root()
    folder, split = {
        "semeval_sentiment_train_en": ("semeval_sentiment_train_en", "train"),
        "tweeteval_sentiment_val": ("tweeteval_sentiment_val", "val"),
        "french_tweets_val": ("french_tweets_trainval", "val"),
        "french_tweets_train": ("french_tweets_trainval", "train"),
    }.get(name, ("allocine_tv_reviews_fr", ""))
    if not split:
        return [base / folder / "dev.tsv"]
    return [base / folder / f"{split}_text.txt", base / folder / f"{split}_labels.txt"]


# Named-entity sets: tokens with BIO tags, one list per post or sentence (`benchmarks/ner.py`).
Tagged = list[tuple[str, str]]


def _conll(path: Path, prefix: str = "") -> Iterator[Tagged]:
    """`token<TAB or space>tag` lines, a blank line between posts; `prefix` is cut off tokens."""
    post: Tagged = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.rstrip("\r").rsplit(None, 1) if line.strip() else []
        if len(parts) == 2:
            token, tag = parts
            post.append((token.removeprefix(prefix), tag))
        elif post:
            yield post
            post = []
    if post:
        yield post


def _io_chunks(path: Path, min_tokens: int = 40) -> Iterator[Tagged]:
    """Continuous IO-tagged text (no sentence breaks) cut after a full stop once a chunk holds
    `min_tokens`; IO tags become BIO (adjacent entities of one label merge, as in the source)."""
    chunk: Tagged = []
    previous = "O"
    for token, tag in next(_conll(path), []):
        bio = tag if tag == "O" or tag == previous else "B-" + tag.removeprefix("I-")
        previous = tag
        chunk.append((token, bio))
        if token == "." and len(chunk) >= min_tokens and tag == "O":
            yield chunk
            chunk = []
    if chunk:
        yield chunk


NER_SETS = {
    "ner_wnut17_en_dev": ("en", lambda r: _conll(r / "ner_wnut17_en_dev" / "emerging.dev.conll")),
    "ner_wikiann_en": ("en", lambda r: _conll(r / "ner_wikiann_en" / "test", "en:")),
    "ner_wikiann_fr": ("fr", lambda r: _conll(r / "ner_wikiann_fr" / "test", "fr:")),
    "ner_europeana_fr": ("fr", lambda r: _io_chunks(r / "ner_europeana_fr" / "enp_FR.bnf.bio")),
}


def load_ner(name: str, root: Path | None = None) -> tuple[str, list[Tagged]]:
    """(language, tagged posts) of a named-entity set."""
    lang, reader = NER_SETS[name]
    return lang, list(reader(root or default_root()))
