"""Evaluation: ECE, and the three systems side by side per language and per source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecoute.commands.evaluate import evaluate
from transform import evaluation
from transform.metrics import expected_calibration_error

# The project's own config: the command reads it for the brands, whatever folder pytest is in.
CONFIG = Path(__file__).resolve().parents[2] / "ecoute.yml"
ROWS = [
    {
        "text": "I love this phone, best purchase ever!",
        "lang": "en",
        "label": "positive",
        "source": "web",
    },
    {
        "text": "Worst service, I hate waiting for hours",
        "lang": "en",
        "label": "negative",
        "source": "web",
    },
    {
        "text": "The store opens at nine on Monday",
        "lang": "en",
        "label": "neutral",
        "source": "reddit",
    },
    {"text": "Super service, je suis ravi !", "lang": "fr", "label": "positive", "source": "web"},
    {"text": "Encore une panne, c'est nul", "lang": "fr", "label": "negative", "source": "web"},
]


def test_ece_is_zero_when_confidence_matches_accuracy_and_the_gap_otherwise() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 2, [True, False]) == pytest.approx(0.45)
    mixed = expected_calibration_error([0.95, 0.95, 0.35], [True, True, True])
    assert mixed == pytest.approx((2 * 0.05 + 0.65) / 3)
    assert expected_calibration_error([], []) == 0.0


def test_compare_reports_every_system_per_language_and_source() -> None:
    reports = evaluation.compare(ROWS)
    groups = {(r.system, r.group) for r in reports}
    for system in evaluation.SYSTEMS:
        assert {
            (system, "[en]"),
            (system, "[fr]"),
            (system, "[en/web]"),
            (system, "[en/reddit]"),
        } <= groups
    by_key = {(r.system, r.group): r for r in reports}
    assert by_key[("textblob", "[en]")].ece is None
    linear = by_key[("linear", "[en]")]
    assert linear.ece is not None and 0 <= linear.ece <= 1 and linear.scores.n == 3
    assert by_key[("rules", "[fr/web]")].scores.n == 2


def test_the_command_prints_the_three_systems_on_a_labelled_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    result = CliRunner().invoke(evaluate, ["--gold", str(gold), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    for system in evaluation.SYSTEMS:
        assert f"{system:>8} [en]" in result.output
    assert "ECE=" in result.output and "macro_f1=" in result.output
