"""`ecoute forget AUTHOR`: the right to erasure, for one person's posts everywhere."""

from __future__ import annotations

import click

from core.config import load_config
from core.privacy import RAW_POSTS

SOURCES = sorted({posts.source for posts in RAW_POSTS})


@click.command("forget")
@click.argument("author")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default=None,
    help="Only this source's account of that handle (default: the handle on every source).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)
def forget(author: str, source: str | None, yes: bool, config_file: str | None) -> None:
    """Delete every post and reply of AUTHOR (a handle, case-insensitive) from raw, quarantine,
    enrichment and the built tables, and keep them out of later collections.

    The serving copy the page reads loses them at the next build. Running it again is harmless.
    """
    from core.privacy import forget as erase

    config = load_config(config_file)
    where = f"on {source}" if source else "on every source"
    if not yes:
        click.confirm(f"Erase every post of {author!r} {where}?", abort=True)
    try:
        done = erase(config, author, source)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for table, count in sorted(done.rows.items()):
        click.echo(f"{table}: {count} rows deleted")
    for table in done.dropped:
        click.echo(f"{table}: dropped, rebuilt by the next build")
    if not done.rows:
        click.echo(f"nothing left of {author!r} {where}")
    click.echo(
        f"{author!r} is forgotten: later collections skip them (run `ecoute run` to publish)."
    )
