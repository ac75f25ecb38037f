"""How far coders agree, per codebook variable: Krippendorff's alpha, Cohen's kappa, confusion.

Double coding gives each item to several coders; before their labels count as gold, the agreement
tells whether the codebook is applied the same way. Alpha comes from the `krippendorff` package
(nominal or ordinal as the codebook says; an ordinal variable's values are ranked in codebook
order, and every value of the codebook is in the domain even when nobody used it), its confidence
interval from a seeded bootstrap over items; pairwise kappa and confusion from scikit-learn (kappa
linearly weighted for an ordinal variable). Items the coders disagree on form the adjudication list.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from core.codebook import Codebook

BOOTSTRAP_SAMPLES = 1000
SEED = 20260101
CONFIDENCE = 0.95

Level = Literal["nominal", "ordinal"]


@dataclass(frozen=True)
class Code:
    """One coder's answer on one item for one variable (`value` None: not coded)."""

    item: str
    coder: str
    variable: str
    value: str | None


@dataclass(frozen=True)
class Scale:
    """What the statistics need of a codebook variable: its level and its values in order."""

    level: Level
    values: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    variable: str
    item: str
    values: dict[str, str]  # coder → value


@dataclass
class VariableAgreement:
    variable: str
    level: Level
    items: int  # items coded by at least two coders
    coders: list[str]
    alpha: float
    ci_low: float
    ci_high: float
    kappa: dict[tuple[str, str], float] = field(default_factory=dict)
    confusion: dict[tuple[str, str], list[list[int]]] = field(default_factory=dict)
    labels: tuple[str, ...] = ()
    disagreements: list[Disagreement] = field(default_factory=list)


def alpha(matrix: np.ndarray, level: Level, domain: Sequence[float]) -> float:
    """Krippendorff's alpha of a coders × items matrix of value ranks (NaN: not coded)."""
    if not (np.sum(~np.isnan(matrix), axis=0) >= 2).any():
        return math.nan  # no item coded twice
    try:
        return float(
            krippendorff.alpha(
                reliability_data=matrix, value_domain=list(domain), level_of_measurement=level
            )
        )
    except (ValueError, ZeroDivisionError):  # one value only: no variation to agree on
        return math.nan


def bootstrap_interval(
    matrix: np.ndarray,
    level: Level,
    domain: Sequence[float],
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Percentile interval of alpha over items resampled with replacement (seeded)."""
    rng = np.random.default_rng(seed)
    units = matrix.shape[1]
    if units < 2:
        return math.nan, math.nan
    draws = []
    for _ in range(samples):
        value = alpha(matrix[:, rng.integers(0, units, units)], level, domain)
        if not math.isnan(value):
            draws.append(value)
    if not draws:
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def scales(codebook: Codebook) -> dict[str, Scale]:
    """Each codebook variable's scale, keyed by its field (what codes name as `variable`)."""
    return {v.field: Scale(v.level, tuple(v.values)) for v in codebook.variables.values()}


def _table(codes: Iterable[Code]) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    values: dict[tuple[str, str], str] = {}
    for code in codes:
        if code.value is not None and code.value != "":
            values[(code.coder, code.item)] = code.value
    coders = sorted({coder for coder, _ in values})
    items = sorted({item for _, item in values})
    return coders, items, values


def variable_agreement(
    variable: str,
    codes: Sequence[Code],
    scale: Scale,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
) -> VariableAgreement:
    """Every statistic of one variable (codes of other variables are ignored)."""
    coders, items, values = _table(c for c in codes if c.variable == variable)
    unknown = sorted({v for v in values.values() if v not in scale.values})
    if unknown:
        raise ValueError(f"{variable}: values {unknown} are not in the codebook {scale.values}")
    rank = {value: float(i) for i, value in enumerate(scale.values)}
    domain = list(rank.values())
    pairable = [i for i in items if sum((c, i) in values for c in coders) >= 2]
    matrix = np.array(
        [[rank[values[(c, i)]] if (c, i) in values else np.nan for i in pairable] for c in coders],
        dtype=float,
    ).reshape(len(coders), len(pairable))
    low, high = bootstrap_interval(matrix, scale.level, domain, samples, seed)
    result = VariableAgreement(
        variable=variable,
        level=scale.level,
        items=len(pairable),
        coders=coders,
        alpha=alpha(matrix, scale.level, domain),
        ci_low=low,
        ci_high=high,
        labels=scale.values,
    )
    weights = "linear" if scale.level == "ordinal" else None
    for a, b in combinations(coders, 2):
        shared = [i for i in pairable if (a, i) in values and (b, i) in values]
        if not shared:
            continue
        left = [values[(a, i)] for i in shared]
        right = [values[(b, i)] for i in shared]
        with warnings.catch_warnings():  # one shared label only: kappa undefined (NaN)
            warnings.simplefilter("ignore")
            kappa = cohen_kappa_score(left, right, labels=list(scale.values), weights=weights)
        result.kappa[(a, b)] = float(kappa)
        result.confusion[(a, b)] = confusion_matrix(left, right, labels=list(scale.values)).tolist()
    for item in pairable:
        coded = {c: values[(c, item)] for c in coders if (c, item) in values}
        if len(set(coded.values())) > 1:
            result.disagreements.append(Disagreement(variable, item, coded))
    return result


def agreement(
    codes: Sequence[Code],
    scales: dict[str, Scale],
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
) -> list[VariableAgreement]:
    """One result per variable present in `codes` (in `scales` order); unknown variables raise."""
    present = {c.variable for c in codes}
    unknown = sorted(present - scales.keys())
    if unknown:
        raise ValueError(f"variables {unknown} are not in the codebook ({sorted(scales)})")
    return [
        variable_agreement(name, codes, scale, samples, seed)
        for name, scale in scales.items()
        if name in present
    ]


def read_codes(path: str | Path) -> list[Code]:
    """Codes from a CSV with the columns `item, coder, variable, value` (empty value: not coded)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"item", "coder", "variable", "value"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        return [
            Code(
                row["item"].strip(),
                row["coder"].strip(),
                row["variable"].strip(),
                (row["value"] or "").strip() or None,
            )
            for row in reader
        ]


def _number(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"


def format_table(results: Sequence[VariableAgreement]) -> str:
    """The agreement table as text: alpha with its interval, pairwise kappa, the disagreements."""
    lines = [f"{'variable':<18} {'level':<8} {'items':>5} {'alpha':>6}  95% CI"]
    for r in results:
        interval = f"[{_number(r.ci_low)}, {_number(r.ci_high)}]"
        lines.append(
            f"{r.variable:<18} {r.level:<8} {r.items:>5} {_number(r.alpha):>6}  {interval}"
        )
    for r in results:
        for (a, b), kappa in r.kappa.items():
            lines.append(f"kappa {r.variable} {a} × {b}: {_number(kappa)}")
            header = " " * 18 + " ".join(f"{label[:10]:>10}" for label in r.labels)
            lines.append(f"  {a} ↓ / {b} →")
            lines.append(header)
            for label, row in zip(r.labels, r.confusion[(a, b)], strict=True):
                lines.append(f"{label[:16]:>16}  " + " ".join(f"{n:>10}" for n in row))
    disagreements = [d for r in results for d in r.disagreements]
    lines.append(f"to adjudicate: {len(disagreements)}")
    for d in disagreements:
        answers = ", ".join(f"{coder}={value}" for coder, value in sorted(d.values.items()))
        lines.append(f"  {d.variable} {d.item}: {answers}")
    return "\n".join(lines)
