"""`ecoute extract PATH_OR_URL`: the JSON the crawler would keep from one page.

Same code as the pipeline: `ingestion.http` to fetch (safe fetcher, same limits) and decode, then
`ingestion.web.extract.extract_page`. A local file needs no config; a URL uses the `crawler:`
settings of `--config` when given (e.g. to allow the demo's loopback host), else the defaults.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


def _fetch(url: str, config_file: str | None) -> tuple[str, str]:
    from core.config import Crawler, load_config
    from ingestion.http import SafeFetcher

    settings = load_config(config_file).crawler if config_file else Crawler()
    response = SafeFetcher(settings).get(url)
    if response.status != 200:
        raise click.ClickException(f"{url} answered HTTP {response.status}")
    return response.url, response.text()


@click.command("extract")
@click.argument("path_or_url")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Project file whose crawler settings apply to a URL (not needed for a local file).",
)
def extract(path_or_url: str, config_file: str | None) -> None:
    """Print url, title, author, published, text and the comment thread of one page as JSON."""
    from ingestion.http import FetchError, decode_body
    from ingestion.web.extract import ExtractionError, extract_page

    try:
        if path_or_url.startswith(("http://", "https://")):
            url, html = _fetch(path_or_url, config_file)
        else:
            path = Path(path_or_url)
            if not path.is_file():
                raise click.ClickException(f"no such file: {path_or_url}")
            url, html = path.resolve().as_uri(), decode_body(path.read_bytes(), url=path_or_url)
        page = extract_page(html, url)
    except (FetchError, ExtractionError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(page.as_json(), ensure_ascii=False, indent=2))
