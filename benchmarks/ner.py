"""Named entities as the enrichment stores them, scored against the shared labelled NER sets.

Each set's tokens are joined back into a post (no space before closing punctuation or English
clitics, none after an opening bracket or a French elision), and its gold entities become the
substrings their tokens cover. What is scored is what the enrichment stores: a post's set of
(text, label) pairs, from `transform.nlp.analyse` with the default config's brand aliases. Exact:
same text and label; lenient: same label and at least one word in common. Labels are unified to
PER / ORG / LOC / MISC (`MAPPINGS`); a predicted label the set does not annotate is not scored
(counted apart). Side by side: the full spaCy pipeline of the same model (every component), the
entity recogniser's own spans as they were stored before `transform/entities.py` (`before`), and
the production path now (`after`).

Each set is split once with a fixed seed into a TUNE part (rules were chosen on it) and a CONFIRM
part (never looked at pair by pair). The WNUT-17 test file is not in the shared folder, so its dev
posts are split in two. The WikiANN sets are sampled (`--sample` sentences per part), Europeana
(continuous OCR text, IO tags, cut into ~40-token chunks after a full stop) too.
Run: `python benchmarks/ner.py [--sample 1000] [--sets ner_wnut17_en_dev ...]`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transform import nlp, shared_sets

SEED = 17
# Gold label → unified label; a set's scored labels are the values of its mapping.
MAPPINGS = {
    "ner_wnut17_en_dev": {
        "person": "PER",
        "location": "LOC",
        "group": "ORG",
        "corporation": "ORG",
        "product": "MISC",
        "creative-work": "MISC",
    },
    "ner_wikiann_en": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
    "ner_wikiann_fr": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
    "ner_europeana_fr": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
}
NOT_COMPARABLE = {
    "ner_wnut17_en_dev": "spaCy's MISC also holds nationalities, events, laws and languages "
    "(NORP, EVENT, LAW, LANGUAGE), which WNUT does not annotate: MISC precision is a floor",
    "ner_wikiann_en": "no MISC in WikiANN: MISC predictions not scored",
    "ner_wikiann_fr": "no MISC in WikiANN: MISC predictions not scored; silver labels",
    "ner_europeana_fr": "no MISC: not scored; OCR noise, IO tags (adjacent same-label names merge)",
}
NO_SPACE_BEFORE = re.compile(r"^([.,!?;:)\]}%…]+|'s|'re|'ve|'ll|'d|'m|n't|’s)$", re.IGNORECASE)
NO_SPACE_AFTER = re.compile(r"^([(\[{]|[ldjmnstc]'|qu'|jusqu'|lorsqu')$", re.IGNORECASE)
# WNUT splits `Ferrari's` into `Ferrari ' s`: the apostrophe joins both sides back.
APOSTROPHES = ("'", "’", "´")
CLITICS = ("s", "t", "re", "ve", "ll", "d", "m")

Pair = tuple[str, str]


@dataclass(frozen=True)
class Post:
    text: str
    gold: frozenset[Pair]


def detokenized(tagged: shared_sets.Tagged, mapping: dict[str, str]) -> Post:
    """The post's text and its gold (text, unified label) pairs."""
    text, starts, ends = "", [], []
    tokens = [t for t, _ in tagged]
    clitic = {
        i
        for i in range(1, len(tokens) - 1)
        if tokens[i] in APOSTROPHES and tokens[i + 1].lower() in CLITICS
    }
    for i, token in enumerate(tokens):
        joined = i in clitic or i - 1 in clitic
        if (
            i
            and not joined
            and not NO_SPACE_BEFORE.match(token)
            and not NO_SPACE_AFTER.match(tokens[i - 1])
        ):
            text += " "
        starts.append(len(text))
        text += token
        ends.append(len(text))
    gold: set[Pair] = set()
    start = label = None
    for i, (_, tag) in enumerate([*tagged, ("", "O")]):
        if label is not None and not tag.startswith("I-"):
            gold.add((text[starts[start] : ends[i - 1]], label))  # type: ignore[index]
            label = None
        if tag.startswith("B-") or (tag.startswith("I-") and label is None):
            start, label = i, mapping[tag[2:]]
    return Post(text, frozenset(gold))


def split(name: str, sample: int) -> dict[str, list[Post]]:
    """TUNE and CONFIRM parts of a set, disjoint, from one seeded shuffle."""
    _, tagged = shared_sets.load_ner(name)
    posts = [detokenized(t, MAPPINGS[name]) for t in tagged if t]
    random.Random(SEED).shuffle(posts)
    half = len(posts) // 2 if name == "ner_wnut17_en_dev" else min(sample, len(posts) // 2)
    return {"TUNE": posts[:half], "CONFIRM": posts[half : 2 * half]}


@dataclass
class Counts:
    exact_tp: dict[str, int] = field(default_factory=dict)
    lenient_p: dict[str, int] = field(default_factory=dict)
    lenient_r: dict[str, int] = field(default_factory=dict)
    predicted: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)
    unscored: int = 0


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold())}


def _add(counter: dict[str, int], label: str, n: int = 1) -> None:
    counter[label] = counter.get(label, 0) + n


def score(posts: Sequence[Post], found: Sequence[Iterable[Pair]], labels: set[str]) -> Counts:
    """Exact and lenient matches per label over posts (pairs deduplicated per post)."""
    counts = Counts()
    for post, pairs in zip(posts, found, strict=True):
        predicted = set()
        for text, label in pairs:
            if label in labels:
                predicted.add((text, label))
            else:
                counts.unscored += 1
        for text, label in predicted:
            _add(counts.predicted, label)
            _add(counts.exact_tp, label, (text, label) in post.gold)
            words = _words(text)
            _add(
                counts.lenient_p,
                label,
                any(g[1] == label and words & _words(g[0]) for g in post.gold),
            )
        for text, label in post.gold:
            _add(counts.gold, label)
            words = _words(text)
            _add(
                counts.lenient_r,
                label,
                any(p[1] == label and words & _words(p[0]) for p in predicted),
            )
    return counts


def prf(tp_p: int, tp_r: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp_p / predicted if predicted else 0.0
    r = tp_r / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def table(title: str, counts: dict[str, Counts], labels: Sequence[str]) -> None:
    """Per label and micro P / R / F1, exact then lenient, one column group per system."""
    print(f"\n{title}")
    head = "".join(f" | {name[:22]:>22}" for name in counts)
    print(f"  {'label':8} {'gold':>5}{head}   (exact P/R/F1; lenient F1)")
    for label in [*labels, "micro"]:
        cells = ""
        gold_n = 0
        for c in counts.values():
            keys = labels if label == "micro" else [label]
            sums = [
                sum(d.get(k, 0) for k in keys)
                for d in (c.exact_tp, c.lenient_p, c.lenient_r, c.predicted, c.gold)
            ]
            exact, lp, lr, pred, gold_n = sums
            p, r, f = prf(exact, exact, pred, gold_n)
            lenient = prf(lp, lr, pred, gold_n)[2]
            cells += f" | {p:.2f}/{r:.2f}/{f:.3f} {lenient:.3f}"
        print(f"  {label:8} {gold_n:5d}{cells}")
    print(
        "  not scored (label not annotated): "
        + ", ".join(f"{n} {c.unscored}" for n, c in counts.items())
    )


def unified(ents: Iterable[tuple[str, str]]) -> list[Pair]:
    """The recogniser's spans with unified labels, stripped: what was stored before the rules."""
    return [
        (text.strip(), nlp.ENTITY_LABELS[label])
        for text, label in ents
        if label in nlp.ENTITY_LABELS and text.strip()
    ]


def systems(
    lang: str, aliases: tuple[str, ...]
) -> dict[str, Callable[[list[str]], list[list[Pair]]]]:
    """Full spaCy pipeline, the recogniser's raw spans (before), the production path (after)."""
    import spacy

    name = nlp.model_name(lang)
    full = spacy.load(name) if name else None
    fast = nlp.pipeline(lang, aliases)

    def full_pipeline(texts: list[str]) -> list[list[Pair]]:
        assert full is not None
        return [unified((e.text, e.label_) for e in doc.ents) for doc in full.pipe(texts)]

    def before(texts: list[str]) -> list[list[Pair]]:
        return [unified((e.text, e.label_) for e in doc.ents) for doc in fast.pipe(texts)]

    def after(texts: list[str]) -> list[list[Pair]]:
        return [
            [(e["text"], e["label"]) for e in ents] for ents, _ in nlp.analyse(lang, texts, aliases)
        ]

    return {f"full {name}": full_pipeline, "before (NER only)": before, "after (production)": after}


def default_aliases() -> tuple[str, ...]:
    """The bundled config's brand aliases, as the Enricher passes them."""
    from core.config import load_config

    try:
        brands = load_config().brands
    except Exception:  # no config: no aliases
        return ()
    return tuple(a.text for b in brands for a in b.all_aliases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=1000, help="posts per part of big sets")
    parser.add_argument("--sets", nargs="*", default=list(MAPPINGS))
    parser.add_argument("--parts", nargs="*", default=["TUNE", "CONFIRM"])
    args = parser.parse_args()
    if not shared_sets.default_root().is_dir():
        print("shared data absent: nothing to measure")
        return
    aliases = default_aliases()
    for name in args.sets:
        if not (shared_sets.default_root() / name).is_dir():
            print(f"\n{name}: absent, skipped")
            continue
        lang = shared_sets.NER_SETS[name][0]
        labels = sorted(set(MAPPINGS[name].values()))
        runs = systems(lang, aliases)
        for part, posts in split(name, args.sample).items():
            if part not in args.parts:
                continue
            texts = [p.text for p in posts]
            counts, seconds = {}, {}
            for system, run in runs.items():
                started = time.process_time()
                counts[system] = score(posts, run(texts), set(labels))
                seconds[system] = time.process_time() - started
            table(
                f"{name} · {part} ({len(posts)} posts, {lang}) — {NOT_COMPARABLE[name]}",
                counts,
                labels,
            )
            print(
                "  CPU ms per post: "
                + ", ".join(f"{s} {1000 * t / len(posts):.2f}" for s, t in seconds.items())
            )


if __name__ == "__main__":
    main()
