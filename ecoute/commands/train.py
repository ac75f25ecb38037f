"""`ecoute train sentiment`: rebuild the learned sentiment model from labelled files.

With `--corrections` the project's own gold labels (corrections and unanimous double codes, from
the store beside the warehouse) join the training rows, less a seeded held-back share on which the
new model is measured against the rules and the model it replaces (domain adaptation, measured).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from core.config import Brand, EcouteConfig
    from transform.backends import SentimentBackend
    from transform.metrics import Scores

T = TypeVar("T")


@click.group("train")
def train() -> None:
    """Train the learned models shipped in transform/models."""


@train.command("sentiment")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the shared labelled sets (default: ../shared/data beside the repository).",
)
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Seed (same inputs + seed = same bytes).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write <lang>/ model folders (default: transform/models, the shipped ones).",
)
@click.option(
    "--extra",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Extra labelled JSONL/CSV (text, lang, label), e.g. your own corrections.",
)
@click.option(
    "--brand-pairs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Brand-tagged pairs (JSONL, the schema of transform/gold/brand_pairs.jsonl) for the "
    "brand-window model (default: transform/gold/brand_train.jsonl + brand_pairs' dev split).",
)
@click.option(
    "--lang", "langs", multiple=True, type=click.Choice(["en", "fr"]), help="Only these languages."
)
@click.option(
    "--brand-only",
    is_flag=True,
    help="Only the brand-window models and reviewers, the posts read by the post models already "
    "in --out (enough when only per-brand rules changed: `ecoute train check` tells).",
)
@click.option(
    "--corrections",
    "use_corrections",
    is_flag=True,
    help="Also train on the project's corrections and unanimous double codes (needs a build).",
)
@click.option(
    "--hold-back",
    type=click.FloatRange(0, 0.9),
    default=0.2,
    show_default=True,
    help="With --corrections: share of those rows kept out of training to measure the model.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --corrections: the project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)
def sentiment(
    data: Path | None,
    seed: int,
    out: Path | None,
    extra: Path | None,
    brand_pairs: Path | None,
    langs: tuple[str, ...],
    brand_only: bool,
    use_corrections: bool,
    hold_back: float,
    config_file: str | None,
) -> None:
    """Train the linear sentiment model per language, calibrate it and write its artifact; then
    the brand-window model per language (`brand/<lang>/`) from the shipped brand-tagged posts.

    With --corrections, your corrections and unanimous double codes join the training rows, less
    a seeded held-back share on which the new model, the rules and the model in use are scored;
    those on posts naming several brands also train the brand-window model and the per-brand
    reviewer (whole posts held back the same way, scored per brand).
    """
    from core.config import load_config
    from transform import brand_training, shared_sets
    from transform.learned import artifact, recipe

    target = out or artifact.MODELS_DIR
    languages = langs or ("en", "fr")
    if brand_only and not all((target / lang).is_dir() for lang in languages):
        raise click.ClickException(f"--brand-only reads posts with the post models in {target}")
    own: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    before: dict[tuple[str, str], Scores] = {}
    own_pairs: list[dict] = []
    held_pairs: list[dict] = []
    catalogue: list[Brand] = []
    before_pairs: dict[tuple[str, str], float] = {}
    if use_corrections:
        config = load_config(config_file)
        catalogue = list(config.brands)
        if not brand_only:
            own, held = _own_rows(config, hold_back, seed, languages)
        own_pairs, held_pairs = _own_pairs(config, hold_back, seed, languages)
        in_use = target if any((target / lang).is_dir() for lang in languages) else None
        before = _measure_all(held, languages, in_use or artifact.MODELS_DIR)
        before_pairs = _measure_pairs(held_pairs, in_use or artifact.MODELS_DIR, catalogue)
    try:
        if not brand_only:
            recipe.train_all(
                data or shared_sets.default_root(),
                target,
                seed=seed,
                extra=extra,
                langs=languages,
                say=click.echo,
                own=own,
            )
        brand_training.train_all(
            target,
            seed=seed,
            langs=languages,
            say=click.echo,
            pairs_file=brand_pairs,
            own=own_pairs,
            catalogue=catalogue,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if held:
        after = _measure_all(held, languages, target, only=("linear",))
        _report(held, languages, before, after)
    if held_pairs:
        after_pairs = _measure_pairs(held_pairs, target, catalogue, only=("linear",))
        _report_pairs(held_pairs, languages, before_pairs, after_pairs)


@train.command("check")
@click.option(
    "--models",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of <lang>/ model folders (default: transform/models, the shipped ones).",
)
def check(models: Path | None) -> None:
    """Tell whether each learned model still reads its features as this code computes them
    (its scores on the probe texts are those recorded when it was trained); exit 1 if one is
    stale, which `ecoute train sentiment` fixes."""
    from transform.learned import artifact
    from transform.model_check import check_models

    checks = check_models(models or artifact.MODELS_DIR)
    for c in checks:
        drift = "" if c.drift is None else f"  (largest score difference {c.drift:.3g})"
        click.echo(f"{c.lang}  {c.model:<13} {c.status}{drift}")
    if any(c.stale for c in checks):
        raise SystemExit(1)


def _own_rows(
    config: EcouteConfig, share: float, seed: int, languages: tuple[str, ...]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    from transform.learned.own_data import gold_rows, hold_back

    found = gold_rows(config)
    origins = ", ".join(f"{n} from {o}" for o, n in sorted(found.by_origin.items())) or "none"
    click.echo(
        f"your gold labels: {len(found.rows)} mention(s) ({origins}); "
        f"{found.conflicting} with brands labelled differently and {found.missing} not in the "
        "last build left out"
    )
    rows = [r for r in found.rows if r["lang"] in languages]
    if len(rows) < len(found.rows):
        click.echo(f"  {len(found.rows) - len(rows)} in other languages left out")
    train, held = hold_back(rows, share, seed)
    click.echo(f"  training on {len(train)}, held back to measure: {len(held)}")
    return train, held


def _own_pairs(
    config: EcouteConfig, share: float, seed: int, languages: tuple[str, ...]
) -> tuple[list[dict], list[dict]]:
    from transform.learned.own_data import gold_pairs, hold_back_posts

    found = gold_pairs(config)
    pairs = [p for p in found.rows if p["lang"] in languages]
    posts = len({p["post_id"] for p in pairs})
    click.echo(
        f"your per-brand labels on posts naming several brands: {len(pairs)} in {posts} post(s)"
    )
    train, held = hold_back_posts(pairs, share, seed)
    click.echo(
        f"  training the per-brand models on {len(train)}, held back to measure: {len(held)}"
    )
    return train, held


def _backends(models: Path) -> dict[str, SentimentBackend]:
    """The rules and the linear backend reading `models`, by name."""
    from transform.backends import LinearBackend, RulesBackend

    return {"rules": RulesBackend(), "linear": LinearBackend(models)}


def _measure_pairs(
    held: list[dict],
    models: Path,
    catalogue: list[Brand],
    only: tuple[str, ...] = ("rules", "linear"),
) -> dict[tuple[str, str], float]:
    """Per-brand accuracy per (backend, language) on held-back pairs; `linear` reads `models`."""
    from transform.brand_evaluation import predict_pairs

    backends = _backends(models)
    found: dict[tuple[str, str], list[bool]] = {}
    for name in only:
        for result in predict_pairs(held, backends[name], catalogue):
            found.setdefault((name, result.lang), []).append(result.targeted == result.gold)
    return {key: sum(right) / len(right) for key, right in found.items()}


def _measure_all(
    held: list[dict[str, str]],
    languages: tuple[str, ...],
    models: Path,
    only: tuple[str, ...] = ("rules", "linear"),
) -> dict[tuple[str, str], Scores]:
    """Scores per (backend, language) on the held-back rows; `linear` reads `models`."""
    from transform.learned.own_data import measure

    backends = _backends(models)
    return {
        (name, lang): measure(backends[name], held, lang)
        for name in only
        for lang in languages
        if any(r["lang"] == lang for r in held)
    }


def _report(
    held: list[dict[str, str]],
    languages: tuple[str, ...],
    before: dict[tuple[str, str], Scores],
    after: dict[tuple[str, str], Scores],
) -> None:
    _print_side_by_side(
        "held-back share of your labels (never trained on):",
        held,
        languages,
        (before, after, "model"),
        lambda s: f"macro-F1 {s.macro_f1:.3f} acc {s.accuracy:.3f}",
    )


def _report_pairs(
    held: list[dict],
    languages: tuple[str, ...],
    before: dict[tuple[str, str], float],
    after: dict[tuple[str, str], float],
) -> None:
    _print_side_by_side(
        "held-back per-brand labels (never trained on), accuracy:",
        held,
        languages,
        (before, after, "models"),
        lambda v: f"{v:.3f}",
    )


def _print_side_by_side(
    title: str,
    held: Sequence[dict],
    languages: tuple[str, ...],
    measured: tuple[dict[tuple[str, str], T], dict[tuple[str, str], T], str],
    show: Callable[[T], str],
) -> None:
    """One line per language: the rules, the previous and the new model(s) on the held-back rows."""
    before, after, models = measured
    click.echo(title)
    for lang in languages:
        n = sum(1 for r in held if r["lang"] == lang)
        if not n:
            continue
        parts = [
            ("rules", before.get(("rules", lang))),
            (f"previous {models}", before.get(("linear", lang))),
            (f"new {models}", after.get(("linear", lang))),
        ]
        text = ", ".join(f"{name} {show(v)}" for name, v in parts if v is not None)
        click.echo(f"  {lang} (n={n}): {text}")
