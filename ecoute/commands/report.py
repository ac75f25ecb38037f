"""`ecoute report --week YYYY-Www`: the weekly brief in Markdown and HTML, as page 8 shows it."""

from __future__ import annotations

from pathlib import Path

import click

from core.config import ConfigError, load_config
from core.marts import NoData


@click.command("report")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W09.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for ecoute-<week>.md and ecoute-<week>.html.",
)
@click.option(
    "--language", type=click.Choice(["fr", "en"]), default=None, help="Default: app.language."
)
@click.option("--config", "config_file", envvar="ECOUTE_CONFIG", default=None, help="ecoute.yml.")
def report(week: str, out_dir: Path, language: str | None, config_file: str | None) -> None:
    """Write the weekly brief of WEEK (same numbers as the app's pages)."""
    from app import brief, data
    from app.i18n import Language

    try:
        config = load_config(config_file)
        brief.week_bounds(week)
    except (ConfigError, ValueError) as error:
        raise click.UsageError(str(error)) from error
    lang: Language = "en" if (language or config.app.language) == "en" else "fr"
    try:
        made = brief.build(data.Reader(config), data.brand_names(config), week, lang)
    except NoData as error:
        raise click.ClickException(str(error)) from error
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown = out_dir / f"ecoute-{week}.md"
    page = out_dir / f"ecoute-{week}.html"
    markdown.write_text(brief.to_markdown(made, lang), encoding="utf-8")
    page.write_text(brief.to_html(made, lang), encoding="utf-8")
    click.echo(f"wrote {markdown} and {page}")
