"""Community typology and alerts against the demo world's truth, on a built demo warehouse.

Build once with `ecoute run` (the bundled demo), then run
`python benchmarks/community.py [--config ecoute.yml]`. The world is regenerated from the config's
`demo:` settings (seed, mentions, days), so the truth matches what was served. Prints:

- typology: the community's shares per role over the latest full window against the generated
  kinds, the agreement (share of authors whose role is their kind) and the confusion counts;
- Gartner bands: the warn-only check's verdict on each month of `mart_community_bands`;
- alerts: every alert episode judged against the world's one incident (an alert of the incident's
  brand overlapping its days is true, anything else false): precision, false alerts per brand
  and 30 days, and whether the incident fired.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from core import warehouse
from core.config import EcouteConfig, load_config
from demo.model import Truth, World
from demo.world import generate_world

KINDS = ("creator", "contributor", "opportunist", "observer")


@dataclass(frozen=True)
class AlertVerdict:
    """One alert episode and whether the world's truth backs it."""

    brand: str
    first_day: date
    last_day: date
    alert_type: str
    severity: str
    true: bool


def handle_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Mart `author_id` → clear lowercase handle, through the build's pseudonym table."""
    rows = con.execute("select author_key, pseudonym from privacy.author_pseudonyms").fetchall()
    return {f"{k.split(':', 1)[0]}:{p.lower()}": k.split(":", 1)[1].lower() for k, p in rows}


def typology(con: duckdb.DuckDBPyConnection, truth: Truth) -> tuple[date, Counter, Counter]:
    """(month, role counts, (kind, role) counts) of the latest full window's brand authors."""
    kinds = {handle.lower(): author.kind for handle, author in truth.authors.items()}
    handles = handle_of(con)
    month_row = con.execute(
        "select max(period_start) from marts.mart_community_bands where is_full_window"
    ).fetchone()
    month = month_row[0] if month_row and month_row[0] else None
    if month is None:
        month_row = con.execute(
            "select max(period_start) from marts.mart_community_bands"
        ).fetchone()
        month = month_row[0] if month_row else None
    if month is None:
        raise SystemExit("mart_community_bands is empty: nothing was built")
    rows = con.execute(
        "select r.author_id, r.author_type from intermediate.int_author_roles as r "
        "where r.period_start = ? and r.author_id in "
        "(select author_id from marts.fct_brand_mentions where author_id is not null)",
        [month],
    ).fetchall()
    roles: Counter = Counter(role for _, role in rows)
    pairs: Counter = Counter()
    for author_id, role in rows:
        kind = kinds.get(handles.get(author_id, ""))
        if kind:
            pairs[(kind, role)] += 1
    return month, roles, pairs


def bands(con: duckdb.DuckDBPyConnection, min_authors: int) -> list[tuple]:
    """Each month of mart_community_bands: shares, full window, and the check's verdict."""
    rows = con.execute(
        "select period_start, is_full_window, authors, creator_share, contributor_share, "
        "opportunist_share, creators_within_band and contributors_within_band "
        "and opportunists_within_band from marts.mart_community_bands order by period_start"
    ).fetchall()
    return [(*row, bool(row[1]) and row[2] >= min_authors) for row in rows]


def alerts(con: duckdb.DuckDBPyConnection, truth: Truth) -> list[AlertVerdict]:
    """Every alert of mart_alerts, true when it is the incident's brand during the incident."""
    incident = truth.incident
    columns = {r[0] for r in con.execute("describe marts.mart_alerts").fetchall()}
    severity = "severity" if "severity" in columns else "'-'"
    rows = con.execute(
        f"select brand, first_day, last_day, alert_type, {severity} from marts.mart_alerts "
        "order by first_day, brand"
    ).fetchall()
    return [
        AlertVerdict(
            brand,
            first,
            last,
            kind,
            str(level),
            brand == incident.brand and first <= incident.last_day and last >= incident.first_day,
        )
        for brand, first, last, kind, level in rows
    ]


def report(config: EcouteConfig, world: World) -> None:
    """Print the three measures for the warehouse of `config`."""
    path = warehouse.duckdb_path(config)
    if not Path(path).is_file():
        raise SystemExit(f"no warehouse at {path}: run `ecoute run` first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        month, roles, pairs = typology(con, world.truth)
        judged = sum(pairs.values())
        agree = sum(n for (kind, role), n in pairs.items() if kind == role)
        total = sum(roles.values()) or 1
        truth_kinds = Counter(kind for kind, _ in pairs.elements())
        print(f"typology, community window ending {month:%Y-%m} ({total} brand authors)")
        print(f"  {'role':<12} {'share':>7} {'truth':>7}")
        for kind in KINDS:
            print(
                f"  {kind:<12} {roles[kind] / total:>7.1%} "
                f"{truth_kinds[kind] / max(judged, 1):>7.1%}"
            )
        print(
            f"  agreement with the generated kinds: {agree}/{judged} = {agree / max(judged, 1):.1%}"
        )
        for kind in KINDS:
            row = ", ".join(
                f"{role} {pairs[(kind, role)]}" for role in KINDS if pairs[(kind, role)]
            )
            print(f"    truly {kind:<12} -> {row}")
        min_authors = 20
        print("Gartner bands (creators <= 3 %, contributors 3-10 %, opportunists 10-20 %)")
        for period, full, authors, cr, co, op, within, judged_row in bands(con, min_authors):
            verdict = ("pass" if within else "WARN") if judged_row else "not judged"
            window = "full window" if full else "partial window"
            print(
                f"  {period:%Y-%m} {window:<14} {authors:>4} authors: creators {cr:.1%}, "
                f"contributors {co:.1%}, opportunists {op:.1%} -> {verdict}"
            )
        verdicts = alerts(con, world.truth)
    finally:
        con.close()
    incident = world.truth.incident
    true_alerts = [v for v in verdicts if v.true]
    false_alerts = [v for v in verdicts if not v.true]
    brands = len(config.brands)
    print(
        f"alerts vs truth (incident: {incident.brand} {incident.first_day} .. {incident.last_day})"
    )
    for v in verdicts:
        label = "TRUE " if v.true else "false"
        print(
            f"  {label} {v.brand:<8} {v.first_day} .. {v.last_day} {v.alert_type:<15} {v.severity}"
        )
    precision = len(true_alerts) / len(verdicts) if verdicts else 1.0
    per_month = len(false_alerts) / (brands * world.days / 30)
    print(
        f"  incident fired: {'yes' if true_alerts else 'NO'}; alerts {len(verdicts)}, "
        f"false {len(false_alerts)}, precision {precision:.0%}, "
        f"false alerts per brand and 30 days {per_month:.2f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=None, help="the demo project file (ecoute.yml)")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    demo = config.demo
    if demo is None:
        raise SystemExit("the config has no demo: section (this measures the bundled demo world)")
    world = generate_world(seed=demo.seed, mentions=demo.mentions, days=demo.days)
    report(config, world)


if __name__ == "__main__":
    main()
