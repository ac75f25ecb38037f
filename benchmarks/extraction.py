"""Score the page extractor against trafilatura alone: main text and comments, side by side.

Two sets:

- the Zyte/Scrapinghub article-extraction benchmark in `../shared/data/article_extraction_benchmark`
  (beside the repository) when present: real news and blog pages (`html/<id>.html.gz`) with gold
  article bodies (`ground-truth.json`). It has no comment gold, so for comments it only counts the
  pages where each extractor returned any;
- the saved forum and blog pages the tests ship (`tests/ingestion/web/fixtures/`, gold in
  `gold.json`: what each post's author wrote, quotes and signatures excluded): main text = the
  article or opening post, comments = the replies. Written with the extractor, so they are a
  regression check rather than an independent measure.

The metric is the Zyte benchmark's own: token-level precision / recall / F1 against the gold
(bag of whitespace tokens, multiset overlap), averaged over pages. trafilatura runs with its
defaults (`bare_extraction`, comments separated from the main text). Run:

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
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data"
BENCHMARK = "article_extraction_benchmark"
FIXTURES = ROOT / "tests" / "ingestion" / "web" / "fixtures"


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


class Extracted(NamedTuple):
    main: str
    comments: str  # every comment's text, one per line


def ours(html: str, url: str) -> Extracted:
    from ingestion.web.extract import extract_page

    page = extract_page(html, url)
    return Extracted(page.text, "\n".join(c.text for c in page.comments))


def trafilatura_alone(html: str, url: str) -> Extracted:
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
    return Extracted(
        getattr(document, "text", None) or "", getattr(document, "comments", None) or ""
    )


def _mean(results: list[tuple[float, float, float]]) -> dict[str, float]:
    if not results:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {
        name: statistics.fmean(r[i] for r in results)
        for i, name in enumerate(("precision", "recall", "f1"))
    }


def score(data_dir: Path, limit: int | None = None) -> dict:
    """Mean main-text precision / recall / F1 of ours (top level) and trafilatura's over the
    benchmark pages, and how many pages each found comments on."""
    from ingestion.http import decode_body
    from ingestion.web.extract import ExtractionError

    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    results: dict[str, list] = {"ours": [], "trafilatura": []}
    with_comments = {"ours": 0, "trafilatura": 0}
    failures, elapsed = 0, 0.0
    for item_id in ids:
        path = data_dir / "html" / f"{item_id}.html.gz"
        if not path.exists():
            continue
        html = decode_body(gzip.decompress(path.read_bytes()))
        url = gold[item_id].get("url", "")
        started = time.perf_counter()
        try:
            found = {"ours": ours(html, url)}
        except (ExtractionError, ValueError):
            failures += 1
            found = {"ours": Extracted("", "")}
        elapsed += time.perf_counter() - started
        found["trafilatura"] = trafilatura_alone(html, url)
        for name, extracted in found.items():
            results[name].append(prf(extracted.main, gold[item_id]["articleBody"]))
            with_comments[name] += bool(extracted.comments.strip())
    pages = len(results["ours"])
    return {
        "pages": pages,
        "failures": failures,
        **_mean(results["ours"]),
        "seconds_per_page": elapsed / max(pages, 1),
        "trafilatura": _mean(results["trafilatura"]),
        "pages_with_comments": with_comments,
    }


def score_fixtures(fixtures: Path = FIXTURES) -> dict:
    """Main text and comments of ours and trafilatura's on the shipped pages with gold."""
    gold = json.loads((fixtures / "gold.json").read_text(encoding="utf-8"))
    main: dict[str, list] = {"ours": [], "trafilatura": []}
    comments: dict[str, list] = {"ours": [], "trafilatura": []}
    for name, truth in sorted(gold.items()):
        html = (fixtures / name).read_text(encoding="utf-8")
        for system, extract in (("ours", ours), ("trafilatura", trafilatura_alone)):
            found = extract(html, truth["url"])
            if truth["main"]:  # a thread's later page has no opening post
                main[system].append(prf(found.main, truth["main"]))
            comments[system].append(prf(found.comments, "\n".join(truth["comments"])))
    return {
        "pages": len(gold),
        "main": {k: _mean(v) for k, v in main.items()},
        "comments": {k: _mean(v) for k, v in comments.items()},
    }


def _row(label: str, figures: dict[str, float]) -> str:
    return (
        f"  {label:<26} {figures['precision']:>9.3f} {figures['recall']:>6.3f} "
        f"{figures['f1']:>6.3f}"
    )


def report(data: Path) -> list[str]:
    """The side-by-side table, as printed lines."""
    header = f"  {'':<26} {'precision':>9} {'recall':>6} {'f1':>6}"
    lines = []
    if (data / "ground-truth.json").exists():
        shared = score(data)
        lines += [
            f"Zyte article-extraction benchmark: {shared['pages']} real pages, gold article "
            f"bodies ({shared['failures']} failures, {shared['seconds_per_page'] * 1000:.0f} "
            "ms/page ours)",
            header,
            _row("main text, ours", shared),
            _row("main text, trafilatura", shared["trafilatura"]),
            "  comments: no gold in this set; pages with comments found: "
            f"ours {shared['pages_with_comments']['ours']}, "
            f"trafilatura {shared['pages_with_comments']['trafilatura']}",
        ]
    else:
        lines.append(f"benchmark data not found in {data}; skipping the shared set")
    if (FIXTURES / "gold.json").exists():
        fixtures = score_fixtures()
        lines += [
            f"Saved forum and blog pages shipped with the tests: {fixtures['pages']} pages, "
            "gold written with them",
            header,
            _row("main text, ours", fixtures["main"]["ours"]),
            _row("main text, trafilatura", fixtures["main"]["trafilatura"]),
            _row("comments, ours", fixtures["comments"]["ours"]),
            _row("comments, trafilatura", fixtures["comments"]["trafilatura"]),
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / BENCHMARK)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if args.limit and (args.data / "ground-truth.json").exists():
        figures = score(args.data, args.limit)
        print(_row(f"main text, ours ({figures['pages']} pages)", figures))
        print(_row("main text, trafilatura", figures["trafilatura"]))
        return 0
    print("\n".join(report(args.data)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
