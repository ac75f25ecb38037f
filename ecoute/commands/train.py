"""`ecoute train sentiment`: rebuild the learned sentiment model from labelled files."""

from __future__ import annotations

from pathlib import Path

import click


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
    "--lang", "langs", multiple=True, type=click.Choice(["en", "fr"]), help="Only these languages."
)
def sentiment(
    data: Path | None, seed: int, out: Path | None, extra: Path | None, langs: tuple[str, ...]
) -> None:
    """Train the linear sentiment model per language, calibrate it and write its artifact."""
    from transform import shared_sets
    from transform.learned import artifact, recipe

    try:
        recipe.train_all(
            data or shared_sets.default_root(),
            out or artifact.MODELS_DIR,
            seed=seed,
            extra=extra,
            langs=langs or ("en", "fr"),
            say=click.echo,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
