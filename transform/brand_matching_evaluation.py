"""Precision and recall of brand matching per language on the labelled homonym set.

`transform/gold/brand_matching.jsonl` holds hand-written fr/en posts, each labelled with the
brands it really mentions; many use a brand name as a common word (Orange the colour, Free the
adjective, Amazon the river, Total the sum). Scoring is over (post, brand) pairs. Ids with an odd
number form the dev half, even numbers the test half, so a rule tuned on dev is checked on test.
Two rule sets are scored: `ALIAS_BRANDS` (aliases, needs-context, exclusions) and `QUERY_BRANDS`
(the same brands written as boolean queries).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.config import Brand
from transform.brands import BrandMatch, BrandMatcher

GOLD = Path(__file__).parent / "gold" / "brand_matching.jsonl"

_TELECOM = ["forfait", "box", "fibre", "réseau", "4G", "5G", "internet", "facture", "résilier",
            "service client", "opérateur", "network", "carrier", "coverage", "roaming", "plan",
            "outage", "panne", "SIM", "router", "bill", "mobile"]  # fmt: skip


def _brand(name: str, aliases: list[Any], context: Iterable[str] = (), **extra: Any) -> Brand:
    return Brand.model_validate(
        {"name": name, "aliases": aliases, "context": list(context), **extra}
    )


def _ambiguous(text: str) -> dict[str, Any]:
    return {"text": text, "case_sensitive": True, "needs_context": True}


ALIAS_BRANDS = [
    _brand("Orange", [_ambiguous("Orange"), "Orange Bank", "Orange Business", "@Orange_conseil"],
           [*_TELECOM, "3900"]),
    _brand("Free", [_ambiguous("Free"), "Freebox", "Free Mobile", "@free"],
           [*_TELECOM, "Xavier Niel", "offre"], exclusions=["free shipping", "free trial"]),
    _brand("SFR", []),
    _brand("Bouygues Telecom", ["Bbox", _ambiguous("Bouygues")], [*_TELECOM, "antenne"]),
    _brand("Nuage Télécom", ["Nuage Telecom", "@nuage_telecom", "#NuageTelecom",
                             _ambiguous("Nuage")], _TELECOM,
           exclusions=["nuage de fumée", "nuage de lait", "nuage de points", "petit nuage"]),
    _brand("Apple", [_ambiguous("Apple"), "Apple Pay", "Apple Music", "Apple Store", "Apple TV"],
           ["iPhone", "MacBook", "Mac", "keynote", "SAV", "support", "Tim Cook", "HomePod",
            "earnings", "AI"], exclusions=["Big Apple", "apple pie", "Apple crumble"]),
    _brand("Amazon", [_ambiguous("Amazon"), "Amazon Prime", "AWS", "@amazon"],
           ["commande", "colis", "livreur", "livraison", "package", "delivered", "ordered",
            "refund", "Prime", "earnings", "emplois", "warehouse", "Echo", "cloud", "outage"],
           exclusions=["Amazon river", "Amazon rainforest", "Amazon basin", "Amazon warrior"]),
    _brand("Shell", [_ambiguous("Shell")],
           ["station", "carburant", "gas", "pump", "diesel", "profits", "dividends", "V-Power",
            "siège", "meeting", "essence"]),
    _brand("Total", [_ambiguous("Total"), "TotalEnergies", "Total Quartz"],
           ["station", "plein", "gazole", "carburant", "CEO", "greenwashing", "essence",
            "condamné"]),
    _brand("Delta", [_ambiguous("Delta"), "Delta Air Lines", "Delta One", "@Delta", "SkyMiles"],
           ["vol", "flight", "flying", "JFK", "Atlanta", "valise", "bag", "miles", "LAX"]),
    _brand("Mercury", [_ambiguous("Mercury"), "Mercury Bank"],
           ["bank", "banking", "account", "startup", "API", "payouts", "transfer", "compte",
            "customer support"]),
]  # fmt: skip

_TELECOM_Q = "(" + " OR ".join(f'"{t}"' for t in _TELECOM) + ")"
_QUERIES = {
    "Orange": f'"Orange Bank" OR "Orange Business" OR @Orange_conseil OR ({{Orange}} NEAR/8 '
    f"({_TELECOM_Q} OR 3900) AND NOT (jus OR juice OR couleur OR colour OR color))",
    "Free": f'Freebox OR "Free Mobile" OR @free OR ({{Free}} NEAR/8 ({_TELECOM_Q} OR offre OR '
    '"Xavier Niel") AND NOT ("free shipping" OR "free trial" OR "feel free"))',
    "Delta": '"Delta Air Lines" OR "Delta One" OR @Delta OR SkyMiles OR ({Delta} NEAR/6 '
    "(vol OR flight OR flying OR JFK OR Atlanta OR valise OR bag OR LAX))",
}
QUERY_BRANDS = [
    b.model_copy(update={"query": _QUERIES[b.name]}) if b.name in _QUERIES else b
    for b in ALIAS_BRANDS
]


@dataclass(frozen=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        return (
            self.true_pos / (self.true_pos + self.false_pos)
            if self.true_pos + self.false_pos
            else 1.0
        )

    @property
    def recall(self) -> float:
        return (
            self.true_pos / (self.true_pos + self.false_neg)
            if self.true_pos + self.false_neg
            else 1.0
        )


def load(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def split_of(post: dict[str, Any]) -> str:
    return "dev" if int(post["id"].rsplit("-", 1)[1]) % 2 else "test"


Finder = Callable[[str], list[BrandMatch]]


def evaluate(
    find: Finder, posts: list[dict[str, Any]]
) -> tuple[dict[tuple[str, str], Score], list[str]]:
    """Scores per (lang, split) and `all`, and one line per error for reading."""
    counts: dict[tuple[str, str], list[int]] = {}
    errors: list[str] = []
    for post in posts:
        predicted = {m.brand for m in find(post["text"])}
        gold = set(post["brands"])
        tp, fp, fn = len(predicted & gold), len(predicted - gold), len(gold - predicted)
        for key in ((post["lang"], split_of(post)), (post["lang"], "all"), ("all", "all")):
            c = counts.setdefault(key, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + tp, c[1] + fp, c[2] + fn
        if fp or fn:
            errors.append(f"{post['id']}: +{sorted(predicted - gold)} -{sorted(gold - predicted)} "
                          f"{post['text']}")  # fmt: skip
    return {k: Score(*v) for k, v in sorted(counts.items())}, errors


def table(name: str, scores: dict[tuple[str, str], Score]) -> str:
    lines = [f"{name}:", f"  {'lang':5} {'split':5} {'precision':>9} {'recall':>7}  tp/fp/fn"]
    for (lang, split), s in scores.items():
        lines.append(f"  {lang:5} {split:5} {s.precision:9.3f} {s.recall:7.3f}  "
                     f"{s.true_pos}/{s.false_pos}/{s.false_neg}")  # fmt: skip
    return "\n".join(lines)


def run(posts: list[dict[str, Any]] | None = None) -> dict[str, dict[tuple[str, str], Score]]:
    """Both rule sets on the gold set, with the production matcher."""
    posts = posts if posts is not None else load()
    return {
        "aliases": evaluate(BrandMatcher(ALIAS_BRANDS).find, posts)[0],
        "queries": evaluate(BrandMatcher(QUERY_BRANDS).find, posts)[0],
    }
