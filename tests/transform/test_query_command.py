"""`ecoute query test`: which posts of a file a query matches, and why."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ecoute.commands.query import query

POSTS = [
    {"id": "box", "text": "Ma box Orange est en panne", "lang": "fr"},
    {"id": "jus", "text": "Un jus d'orange", "lang": "fr"},
    {"id": "en", "text": "Orange box is down", "lang": "en"},
    {"text": "Forfait Orange", "lang": "fr", "site": "forum.example.org"},
]


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in POSTS) + "\n\n", encoding="utf-8")
    result = CliRunner().invoke(query, ["test", *args, "--file", str(path)])
    return result.exit_code, result.output


def test_shows_matching_posts_with_clause_spans_and_context(tmp_path: Path) -> None:
    code, out = run(tmp_path, "orange NEAR/3 (box OR forfait) AND lang:fr")
    assert code == 0
    assert "MATCH box:" in out and "MATCH line 4:" in out
    assert "jus" not in out and "MATCH en" not in out
    assert "clause: orange NEAR/3 box AND lang:fr" in out
    assert "spans: 'Orange' [7:13], 'box' [3:6]" in out
    assert "context: box" in out
    assert out.rstrip().endswith("2 of 4 posts match")


def test_all_lists_the_posts_left_out_and_site_scopes_apply(tmp_path: Path) -> None:
    code, out = run(tmp_path, "orange AND site:example.org", "--all")
    assert code == 0
    assert "MATCH line 4:" in out and "----- box:" in out and "----- jus:" in out
    assert out.rstrip().endswith("1 of 4 posts match")


def test_a_syntax_error_shows_its_column_and_fails(tmp_path: Path) -> None:
    code, out = run(tmp_path, "orange forfait")
    assert code == 2
    assert "column 8" in out and "\n         ^" in out
