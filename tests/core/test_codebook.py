"""The shipped codebook validates; a malformed one names the bad key."""

from pathlib import Path

import pytest
import yaml

from core.codebook import CodebookError, load_codebook, parse_codebook

SHIPPED = Path(__file__).resolve().parents[2] / "codebook.yml"


def _data() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def test_shipped_codebook_declares_the_four_variables() -> None:
    codebook = load_codebook(SHIPPED)
    assert codebook.version
    assert set(codebook.fields) >= {"sentiment", "relevance", "category", "contributor_type"}
    sentiment = codebook.by_field("sentiment")
    assert sentiment.level == "ordinal"
    assert sentiment.values == ["negative", "neutral", "positive"]
    assert codebook.by_field("relevance").level == "nominal"
    for variable in codebook.variables.values():
        assert {e.lang for e in variable.examples} == {"fr", "en"}


def test_check_names_the_reason() -> None:
    codebook = load_codebook(SHIPPED)
    assert codebook.check("sentiment", "positive") is None
    assert "not a sentiment value" in (codebook.check("sentiment", "great") or "")
    assert "unknown field" in (codebook.check("mood", "happy") or "")


def test_unknown_key_is_named() -> None:
    data = _data()
    data["variables"]["sentiment"]["levle"] = "ordinal"
    with pytest.raises(CodebookError, match=r"variables\.sentiment\.levle: unknown key"):
        parse_codebook(data, "codebook.yml")


def test_bad_level_and_missing_version_are_named() -> None:
    data = _data()
    data["variables"]["relevance"]["level"] = "interval"
    del data["version"]
    with pytest.raises(CodebookError) as caught:
        parse_codebook(data)
    assert "variables.relevance.level" in str(caught.value)
    assert "version" in str(caught.value)


def test_example_outside_values_is_refused() -> None:
    data = _data()
    data["variables"]["category"]["examples"][0]["value"] = "weather"
    with pytest.raises(CodebookError, match=r"variables\.category.*'weather'"):
        parse_codebook(data)


def test_a_correctable_field_must_be_declared() -> None:
    data = _data()
    del data["variables"]["relevance"]
    with pytest.raises(CodebookError, match="relevance"):
        parse_codebook(data)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "none.yml")
    bad = tmp_path / "codebook.yml"
    bad.write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(bad)
