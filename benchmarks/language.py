"""Language identification on short posts: accuracy, `und` rate and speed, before and after.

Reads the shared tweet sets of known language (`../shared/data`, skipped when absent), computes
lingua's confidences once per text, then sweeps the thresholds of `transform/language.py` offline.
Thresholds are chosen on the TUNE part and confirmed on the CONFIRM part. Score of a setting:
correct − 2 × wrong (a wrong language sends a post to the wrong model; `und` only defaults it).
Run: `python benchmarks/language.py [--semeval 4000]`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transform import language, shared_sets

TUNE = ("tweeteval_sentiment_val", "french_tweets_train")
CONFIRM = ("semeval_sentiment_train_en", "french_tweets_val", "allocine_tv_reviews_fr_dev")
BANDS = ((0, 20), (20, 40), (40, 80), (80, 10**9))
WRONG_COST = 2.0

# The cleaning and thresholds before issue 11, kept here as the baseline.
BASELINE_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\bhttp\b")
BASELINE = {"min_confidence": 0.45, "min_margin": 2.0, "min_letters": 12}


@dataclass(frozen=True)
class Sample:
    set_name: str
    gold: str
    letters: int
    values: dict[str, float]


def load(names: Iterable[str], semeval: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """(set, gold language, text) for each post; the big English set is sampled."""
    rows: list[tuple[str, str, str]] = []
    for name in names:
        records = shared_sets.load(name)
        if name == "semeval_sentiment_train_en" and len(records) > semeval:
            records = random.Random(seed).sample(records, semeval)
        rows += [(name, r["lang"], r["text"]) for r in records if r["text"].strip()]
    return rows


def scored(
    rows: Sequence[tuple[str, str, str]], clean: Callable[[str], str], hint: str | None = None
) -> list[Sample]:
    """lingua's confidence per recognised language (plus the hint's), computed once per text."""
    codes = tuple(sorted({*language.RECOGNISED, *([hint] if hint else [])}))
    detector = language._detector(codes)
    samples = []
    for set_name, gold, text in rows:
        cleaned = clean(text)
        letters = sum(c.isalpha() for c in cleaned)
        values = {
            language._code(v.language): float(v.value)
            for v in detector.compute_language_confidence_values(cleaned)
        }
        samples.append(Sample(set_name, gold, letters, values))
    return samples


def decide(s: Sample, min_confidence: float, min_margin: float, min_letters: int) -> str:
    """What `detect` returns without a hint for these thresholds."""
    if s.letters < min_letters or not s.values:
        return language.UNDETERMINED
    ranked = sorted(s.values.items(), key=lambda kv: -kv[1])
    best, value = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if value < min_confidence or value < min_margin * runner_up:
        return language.UNDETERMINED
    return best


def decide_hinted(
    s: Sample, hint: str, override_letters: int, override_confidence: float, override_margin: float
) -> str:
    """What `detect` returns with `hint` for these override thresholds."""
    if not s.values:
        return hint
    best, value = max(s.values.items(), key=lambda kv: kv[1])
    if (
        best != hint
        and s.letters >= override_letters
        and value >= override_confidence
        and value >= override_margin * s.values.get(hint, 0.0)
    ):
        return best
    return hint


def rates(samples: Sequence[Sample], labels: Sequence[str]) -> tuple[float, float, float]:
    """(accuracy, und rate, wrong-language rate)."""
    n = max(len(samples), 1)
    und = sum(lab == language.UNDETERMINED for lab in labels)
    right = sum(lab == s.gold for s, lab in zip(samples, labels, strict=True))
    return right / n, und / n, (len(samples) - right - und) / n


def utility(samples: Sequence[Sample], labels: Sequence[str]) -> float:
    accuracy, _, wrong = rates(samples, labels)
    return accuracy - WRONG_COST * wrong


def report(title: str, samples: Sequence[Sample], labels: Sequence[str]) -> None:
    """Accuracy / und / wrong per set and per length band (letters after cleaning)."""
    print(f"\n{title}")
    print(f"  {'set':32} {'band':>8} {'n':>6} {'acc':>6} {'und':>6} {'wrong':>6}")
    for name in sorted({s.set_name for s in samples}):
        for low, high in ((0, 10**9), *BANDS):
            chosen = [
                (s, lab)
                for s, lab in zip(samples, labels, strict=True)
                if s.set_name == name and low <= s.letters < high
            ]
            if not chosen:
                continue
            acc, und, wrong = rates([c[0] for c in chosen], [c[1] for c in chosen])
            band = "all" if high == 10**9 and low == 0 else f"{low}-{high if high < 10**9 else ''}"
            print(f"  {name:32} {band:>8} {len(chosen):6d} {acc:6.3f} {und:6.3f} {wrong:6.3f}")


def sweep(samples: Sequence[Sample]) -> dict[str, float]:
    """Best (min_confidence, min_margin, min_letters) by utility; prints the top of the grid."""
    grid = []
    for min_confidence in (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        for min_margin in (1.0, 1.2, 1.5, 2.0, 3.0):
            for min_letters in (3, 6, 8, 10, 12, 15):
                labels = [decide(s, min_confidence, min_margin, min_letters) for s in samples]
                setting = {
                    "min_confidence": min_confidence,
                    "min_margin": min_margin,
                    "min_letters": min_letters,
                }
                grid.append((utility(samples, labels), rates(samples, labels), setting))
    grid.sort(key=lambda g: -g[0])
    print("\nsweep on TUNE (utility = acc − 2 × wrong), top 10:")
    for u, (acc, und, wrong), setting in grid[:10]:
        print(f"  {u:.4f}  acc {acc:.3f} und {und:.3f} wrong {wrong:.3f}  {setting}")
    return grid[0][2]


def hint_sweep(
    right: Sequence[Sample], wrong: Sequence[Sample], wrong_hint: dict[str, str]
) -> None:
    """Override thresholds: posts kept with a right hint vs posts rescued from a wrong hint."""
    print("\nhint override sweep on TUNE: kept = right hint kept, rescued = wrong hint overridden")
    for letters in (20, 30, 40, 60):
        for confidence in (0.6, 0.7, 0.8, 0.9):
            for margin in (2.0, 4.0, 8.0):
                kept = sum(
                    decide_hinted(s, s.gold, letters, confidence, margin) == s.gold for s in right
                )
                rescued = sum(
                    decide_hinted(s, wrong_hint[s.gold], letters, confidence, margin) == s.gold
                    for s in wrong
                )
                print(
                    f"  letters {letters:3d} conf {confidence:.1f} margin {margin:4.1f}  "
                    f"kept {kept / len(right):.4f} rescued {rescued / len(wrong):.4f}"
                )


def speed(texts: Sequence[str], detect: Callable[[str], tuple[str, float]], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            detect(text)
    return repeat * len(texts) / (time.perf_counter() - started)


def baseline_detect(text: str) -> tuple[str, float]:
    """`detect` as it was before issue 11 (same detector)."""
    cleaned = BASELINE_NOISE.sub(" ", text)
    if sum(c.isalpha() for c in cleaned) < BASELINE["min_letters"]:
        return language.UNDETERMINED, 0.0
    ranked = language._detector(language.RECOGNISED).compute_language_confidence_values(cleaned)
    best, runner_up = ranked[0], ranked[1].value if len(ranked) > 1 else 0.0
    if best.value < BASELINE["min_confidence"] or best.value < BASELINE["min_margin"] * runner_up:
        return language.UNDETERMINED, float(best.value)
    return language._code(best.language), float(best.value)


def shortened(rows: Sequence[tuple[str, str, str]], seed: int = 7) -> list[tuple[str, str, str]]:
    """Each post cut to its first 2-8 words: a stand-in for short brand posts, of known language."""
    rng = random.Random(seed)
    cut = []
    for name, gold, text in rows:
        words = text.split()
        cut.append((f"{name} (short)", gold, " ".join(words[: rng.randint(2, 8)])))
    return cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--semeval", type=int, default=4000, help="sample of the 48k English set")
    parser.add_argument("--speed-texts", type=int, default=1000)
    args = parser.parse_args()
    if not shared_sets.default_root().is_dir():
        print("shared data absent: nothing to measure")
        return
    tune_full, confirm_full = load(TUNE, args.semeval), load(CONFIRM, args.semeval)
    parts = {
        "TUNE": tune_full + shortened(tune_full),
        "CONFIRM": confirm_full + shortened(confirm_full),
    }
    current = {
        "min_confidence": language.MIN_CONFIDENCE,
        "min_margin": language.MIN_MARGIN,
        "min_letters": language.MIN_LETTERS,
    }
    for part, rows in parts.items():
        before = scored(rows, lambda t: BASELINE_NOISE.sub(" ", t))
        labels = [decide(s, **BASELINE) for s in before]  # type: ignore[arg-type]
        report(f"{part} · BEFORE (baseline cleaning and thresholds {BASELINE})", before, labels)
        labels = [decide(s, **current) for s in before]  # type: ignore[arg-type]
        report(f"{part} · current thresholds, BEFORE cleaning (hashtags dropped)", before, labels)
        after = scored(rows, language.clean)
        if part == "TUNE":
            sweep(after)
        labels = [decide(s, **current) for s in after]  # type: ignore[arg-type]
        report(
            f"{part} · AFTER, no hint (current cleaning and thresholds {current})", after, labels
        )
        wrong_hint = {"en": "fr", "fr": "en"}
        if part == "TUNE":
            hint_sweep(after, after, wrong_hint)
        labels = [language.detect(t, hint=g)[0] for _, g, t in rows]
        report(f"{part} · AFTER, detect(hint=the right language)", after, labels)
        labels = [language.detect(t, hint=wrong_hint[g])[0] for _, g, t in rows]
        report(f"{part} · AFTER, detect(hint=the other language): acc = rescued", after, labels)
    every = parts["TUNE"] + parts["CONFIRM"]
    texts = [t for _, _, t in random.Random(1).sample(every, min(args.speed_texts, len(every)))]
    before_speed = speed(texts, baseline_detect, 2)
    after_speed = speed(texts, language.detect, 2)
    hinted = speed(texts, lambda t: language.detect(t, hint="en"), 2)
    print(
        f"\ndetections/s (same texts, full and short): before {before_speed:.0f}, "
        f"after {after_speed:.0f} (x{after_speed / before_speed:.2f}), "
        f"with a hint {hinted:.0f} (x{hinted / before_speed:.2f})"
    )


if __name__ == "__main__":
    main()
