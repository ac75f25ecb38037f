"""`ecoute coding sample` and `ecoute coding agreement`: double coding against the codebook.

A sample is drawn from the published marts, stratified by language, source and model label (so
rare strata are coded too), and assigned to the coders: an `overlap` share of the items goes to
every coder (what the agreement is computed on), the rest is split between them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import click

from core.config import load_config
from core.corrections import Assignment

SEED = 9
_CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)

Row = tuple[str, str, str | None, str | None, str | None]  # mention, brand, lang, source, label


def stratified_sample(rows: Sequence[Row], n: int, seed: int = SEED) -> list[Row]:
    """`n` rows (or all), allocated to (lang, source, label) strata in proportion, every stratum
    getting at least one while `n` allows (largest remainders), drawn at random inside each."""
    strata: dict[tuple[str | None, ...], list[Row]] = defaultdict(list)
    for row in rows:
        strata[row[2:]].append(row)
    if n >= len(rows):
        return sorted(rows)
    keys = sorted(strata, key=lambda k: tuple(str(p) for p in k))
    share = {k: n * len(strata[k]) / len(rows) for k in keys}
    quota = {k: min(len(strata[k]), max(1, int(share[k]))) for k in keys}
    while sum(quota.values()) > n:  # more strata than items: drop the smallest shares' extra
        k = min((k for k in keys if quota[k] > 0), key=lambda k: (share[k], str(k)))
        quota[k] -= 1
    by_remainder = sorted(keys, key=lambda k: (-(share[k] - int(share[k])), str(k)))
    while sum(quota.values()) < n:
        grew = False
        for k in by_remainder:
            if sum(quota.values()) < n and quota[k] < len(strata[k]):
                quota[k] += 1
                grew = True
        if not grew:
            break
    rng = random.Random(seed)
    drawn: list[Row] = []
    for k in keys:
        drawn += rng.sample(sorted(strata[k]), quota[k])
    return drawn


def assign(
    rows: Sequence[Row], coders: Sequence[str], overlap: float, sample_id: str, seed: int = SEED
) -> list[Assignment]:
    """Every coder gets the first `overlap` share of the shuffled items; the rest round-robin."""
    items = list(rows)
    random.Random(seed).shuffle(items)
    shared = round(len(items) * overlap) if len(coders) > 1 else len(items)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    out = []
    for position, (mention, brand, lang, source, label) in enumerate(items):
        item_id = f"{position + 1:04d}"
        owners = coders if position < shared else [coders[(position - shared) % len(coders)]]
        out += [
            Assignment(sample_id, item_id, mention, brand, c, lang, source, label, at)
            for c in owners
        ]
    return out


@click.group("coding")
def coding() -> None:
    """Double coding: draw a sample for several coders, then measure their agreement."""


@coding.command("sample")
@click.option("--n", "size", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--coders", required=True, help="Comma-separated coder names, e.g. alice,bob.")
@click.option(
    "--overlap",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Share of the items every coder codes (the agreement is computed on these).",
)
@click.option("--seed", type=int, default=SEED, show_default=True)
@_CONFIG
def sample(size: int, coders: str, overlap: float, seed: int, config_file: str | None) -> None:
    """Draw SIZE brand mentions stratified by language, source and model label and assign them."""
    from core.corrections import save_assignments
    from core.marts import Marts, NoData

    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(set(names)) != len(names) or not names:
        raise click.BadParameter("give distinct coder names", param_hint="--coders")
    config = load_config(config_file)
    try:
        frame = Marts(config).query(
            "select mention_id, brand, lang, source, sentiment_label from marts.fct_brand_mentions "
            "where is_canonical order by mention_id, brand"
        )
    except NoData as error:
        raise click.ClickException(str(error)) from None
    rows: list[Row] = [
        (str(r[0]), str(r[1]), *(None if v is None else str(v) for v in r[2:]))  # type: ignore[misc]
        for r in frame.itertuples(index=False)
    ]
    if not rows:
        raise click.ClickException("no brand mentions in the published marts to sample from")
    drawn = stratified_sample(rows, size, seed)
    sample_id = "sample-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    assignments = assign(drawn, names, overlap, sample_id, seed)
    save_assignments(config, assignments)
    per_coder: dict[str, int] = defaultdict(int)
    owners: dict[str, int] = defaultdict(int)
    for a in assignments:
        per_coder[a.coder] += 1
        owners[a.item_id] += 1
    strata = len({r[2:] for r in drawn})
    shared = sum(1 for count in owners.values() if count == len(names))
    click.echo(f"{sample_id}: {len(drawn)} items from {strata} strata (language, source, label)")
    click.echo(f"coded by every coder: {shared}")
    for coder, count in per_coder.items():
        click.echo(f"  {coder}: {count} items")


@coding.command("agreement")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--sample", "sample_id", default=None, help="Only this sample's stored codes.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True)
@_CONFIG
def agreement_(
    file: str | None, sample_id: str | None, bootstrap: int, config_file: str | None
) -> None:
    """Krippendorff's alpha (with its 95 % CI), pairwise Cohen's kappa, confusion and the
    disagreements to adjudicate, from the stored codes or from FILE
    (CSV: item, coder, variable, value; an empty value is not coded)."""
    from core.agreement import Code, agreement, format_table, read_codes, scales
    from core.codebook import CodebookError, project_codebook
    from core.corrections import stored_codes

    config = load_config(config_file)
    try:
        book = scales(project_codebook(config))
        if file:
            codes = read_codes(file)
        else:
            codes = [Code(*row) for row in stored_codes(config, sample_id)]
        if not codes:
            raise click.ClickException("no codes yet (code a sample, or pass a CSV file)")
        results = agreement(codes, book, samples=bootstrap)
    except (CodebookError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(format_table(results))
