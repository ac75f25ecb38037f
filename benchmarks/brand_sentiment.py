"""Per-brand sentiment quality on the shipped two-brand set (`transform/gold/brand_pairs.jsonl`).

Prints accuracy and macro-F1 per language and split (dev: looked at while writing the rules;
test: set aside), then by phenomenon, for the targeted label beside the post's label given to every
brand (the baseline, measured in the same run). The issue's target: targeted accuracy ≥ 0.8 in each
language. Run: `python benchmarks/brand_sentiment.py [--backend rules|linear]`.
"""

from __future__ import annotations

import argparse

from transform.backends import load_backend
from transform.brand_evaluation import predict_pairs, read_pairs, report, scores_by

TARGET_ACCURACY = 0.8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="rules", help="rules, linear or module:factory")
    args = parser.parse_args()
    results = predict_pairs(read_pairs(), load_backend(args.backend))
    print(f"backend: {args.backend}")
    print(report(results))
    for (lang, split), pair in scores_by(results).items():
        accuracy = pair["targeted"].accuracy
        gain = accuracy - pair["post"].accuracy
        verdict = "ok" if accuracy >= TARGET_ACCURACY else "below target"
        print(
            f"{lang} {split}: targeted accuracy {accuracy:.3f} ({gain:+.3f} over the post label, "
            f"target {TARGET_ACCURACY}) {verdict}"
        )


if __name__ == "__main__":
    main()
