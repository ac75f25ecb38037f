"""Brand matching on the labelled homonym set: precision and recall per language and split.

Scores the alias rules and the same brands as boolean queries with the production matcher on
`transform/gold/brand_matching.jsonl` (fr/en, Orange the colour vs the operator, Free the adjective,
Amazon the river…). Run: `python benchmarks/brand_matching.py [--errors]`.
"""

from __future__ import annotations

import sys

from transform.brand_matching_evaluation import (
    ALIAS_BRANDS,
    QUERY_BRANDS,
    evaluate,
    load,
    table,
)
from transform.brands import BrandMatcher


def main(argv: list[str]) -> None:
    posts = load()
    print(f"brand matching: {len(posts)} labelled posts (dev = odd ids, test = even ids)")
    for name, brands in (("alias rules", ALIAS_BRANDS), ("boolean queries", QUERY_BRANDS)):
        scores, errors = evaluate(BrandMatcher(brands).find, posts)
        print(table(name, scores))
        if "--errors" in argv:
            print("\n".join(f"    {e}" for e in errors) or "    no errors")


if __name__ == "__main__":
    main(sys.argv[1:])
