"""`ecoute query test "…" --file posts.jsonl`: which posts a brand query matches, and why.

Tune a query before putting it in `ecoute.yml`: each matching post is printed with the clause that
matched, the matched spans and the context words; `--all` lists the posts it leaves out too.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

import click


@click.group("query")
def query() -> None:
    """Try boolean brand queries (AND, OR, NOT, NEAR/n, "phrases", {Case}, site:, lang:)."""


@query.command("test")
@click.argument("text")
@click.option(
    "--file",
    "file_",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help="JSON Lines posts: `text`, optional `id`, `source`, `site`, `lang`.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the posts the query leaves out.")
def test(text: str, file_: TextIO, show_all: bool) -> None:
    """Show which posts of FILE the query TEXT matches and why."""
    from core.config import Brand
    from core.query import QuerySyntaxError, parse
    from transform.brands import BrandMatcher

    try:
        parse(text)
    except QuerySyntaxError as error:
        raise click.UsageError(str(error)) from None
    matcher = BrandMatcher([Brand(name="query", query=text)])
    total = matched = 0
    for number, line in enumerate(file_, 1):
        if not line.strip():
            continue
        post = _post(line, number)
        total += 1
        label = post.get("id") or f"line {number}"
        body = str(post.get("text") or "")
        hits = matcher.find(
            body,
            source=_opt(post, "source"),
            site=_opt(post, "site"),
            lang=_opt(post, "lang"),
        )
        if hits and hits[0].explanation is not None:
            matched += 1
            why = hits[0].explanation
            spans = ", ".join(f"{body[s:e]!r} [{s}:{e}]" for s, e in why.spans)
            click.echo(f"MATCH {label}: {_short(body)}")
            click.echo(f"      clause: {why.clause}")
            click.echo(f"      spans: {spans}")
            if why.context:
                click.echo(f"      context: {', '.join(why.context)}")
        elif show_all:
            click.echo(f"----- {label}: {_short(body)}")
    click.echo(f"{matched} of {total} posts match")


def _post(line: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise click.UsageError(f"line {number}: invalid JSON ({error.msg})") from None
    if not isinstance(value, dict):
        raise click.UsageError(f"line {number}: expected a JSON object")
    return value


def _opt(post: dict[str, Any], key: str) -> str | None:
    value = post.get(key)
    return value if isinstance(value, str) and value else None


def _short(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
