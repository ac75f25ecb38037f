"""`ecoute corrections import FILE` and `ecoute corrections list`: people correct the model.

Corrections go to the append-only store beside the warehouse (`core.corrections`); the next
`ecoute run` loads them and every mart counts the corrected values.
"""

from __future__ import annotations

import click

from core.config import load_config

_CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)


@click.group("corrections")
def corrections() -> None:
    """Correct a mention's per-brand sentiment, relevance or category (append-only events)."""


@corrections.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_CONFIG
def import_(file: str, config_file: str | None) -> None:
    """Store the corrections of FILE (CSV or JSONL with the columns
    mention_id, brand, field, value, who, reason; field is sentiment, relevance or category).

    Rows naming an unknown mention or brand, or a value outside the codebook, are refused and
    listed; the others load. Importing the same file again adds nothing.
    """
    from core.corrections import import_file

    config = load_config(config_file)
    try:
        result = import_file(config, file)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    for message in result.refused:
        click.echo(f"refused {message}", err=True)
    click.echo(
        f"{result.added} correction(s) stored, {result.duplicates} already stored, "
        f"{len(result.refused)} refused (run `ecoute run` to apply them)."
    )
    if result.refused:
        raise SystemExit(1)


@corrections.command("list")
@click.option("--mention", default=None, help="Only this mention id.")
@_CONFIG
def list_(mention: str | None, config_file: str | None) -> None:
    """Every stored correction, oldest first (tab-separated)."""
    from core.corrections import corrections as stored

    config = load_config(config_file)
    events = [e for e in stored(config) if mention is None or e.mention_id == mention]
    click.echo("at\twho\tmention_id\tbrand\tfield\told_value\tnew_value\tmodel_version\treason")
    for e in events:
        click.echo(
            "\t".join(
                str(v or "")
                for v in (
                    e.made_at,
                    e.who,
                    e.mention_id,
                    e.brand,
                    e.field,
                    e.old_value,
                    e.new_value,
                    e.model_version,
                    e.reason,
                )
            )
        )
    click.echo(f"{len(events)} correction(s)", err=True)
