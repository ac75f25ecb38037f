"""The page renders links only for http(s) values."""

from __future__ import annotations

import pandas as pd
import pytest

from app.data import is_web_link, web_links


@pytest.mark.parametrize("value", ["https://example.org/a", "HTTP://x.fr", " https://x.fr/?q=1"])
def test_web_links_are_kept(value: str) -> None:
    assert is_web_link(value)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:evil",
        "",
        None,
        float("nan"),
    ],
)
def test_anything_else_is_not_a_link(value: object) -> None:
    assert not is_web_link(value)


def test_web_links_blanks_only_the_link_columns() -> None:
    frame = pd.DataFrame(
        {"url": ["https://a.fr", "javascript:alert(1)"], "text": ["a", "javascript:"]}
    )
    safe = web_links(frame, "url", "missing")
    assert safe["url"][0] == "https://a.fr" and pd.isna(safe["url"][1])  # missing: no link
    assert (
        safe["text"].tolist() == ["a", "javascript:"] and frame["url"][1] == "javascript:alert(1)"
    )
