"""Score the page extractor on the Zyte/Scrapinghub article-extraction benchmark.

Reads `../shared/data/article_extraction_benchmark` (beside the repository) when present:
`html/<id>.html.gz` pages and `ground-truth.json` gold article bodies. The metric is the benchmark's
own: token-level precision / recall / F1 of the extracted main text against the gold text (bag of
whitespace tokens, multiset overlap), averaged over pages. Run:

    .venv/bin/python benchmarks/extraction.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
BENCHMARK = "article_extraction_benchmark"


def tokens(text: str) -> list[str]:
    return text.split()


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 (1.0 each when both are empty)."""
    pred, true = Counter(tokens(predicted)), Counter(tokens(gold))
    if not pred and not true:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & true).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(true.values()) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(data_dir: Path, limit: int | None = None) -> dict[str, float]:
    """Mean precision / recall / F1 of `extract_page` over the benchmark pages."""
    from ingestion.http import decode_body
    from ingestion.web.extract import ExtractionError, extract_page

    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    results, failures = [], 0
    started = time.perf_counter()
    for item_id in ids:
        path = data_dir / "html" / f"{item_id}.html.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        try:
            text = extract_page(decode_body(raw), gold[item_id].get("url", "")).text
        except (ExtractionError, ValueError):
            failures += 1
            text = ""
        results.append(prf(text, gold[item_id]["articleBody"]))
    elapsed = time.perf_counter() - started
    return {
        "pages": len(results),
        "failures": failures,
        "precision": statistics.fmean(r[0] for r in results),
        "recall": statistics.fmean(r[1] for r in results),
        "f1": statistics.fmean(r[2] for r in results),
        "seconds_per_page": elapsed / max(len(results), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / BENCHMARK)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found in {args.data}; skipping")
        return 0
    figures = score(args.data, args.limit)
    print(
        f"pages={figures['pages']} failures={figures['failures']} "
        f"precision={figures['precision']:.3f} recall={figures['recall']:.3f} "
        f"f1={figures['f1']:.3f} ({figures['seconds_per_page'] * 1000:.0f} ms/page)"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
