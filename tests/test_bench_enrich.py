"""`ecoute bench enrich`: the production phase is timed on a loaded pool, its start-up apart."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from core.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_enrich", ROOT / "benchmarks" / "enrich.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_process_cpu_time_is_read_while_it_runs() -> None:
    bench = _bench()
    before = bench.process_cpu_seconds(os.getpid())
    sum(i * i for i in range(3_000_000))
    assert bench.process_cpu_seconds(os.getpid()) > before


@pytest.mark.slow
def test_production_times_the_loaded_pool_and_its_start_up_apart() -> None:
    bench = _bench()
    startup, steady = bench.production(load_config(ROOT / "ecoute.yml"), 40, workers=2)
    assert (startup.name, startup.mentions) == ("rules start-up", 0)
    # Two workers each loaded two spaCy models and the lexicons before the clock started.
    assert startup.cpu > 2.0 and startup.seconds > 1.0
    assert (steady.name, steady.mentions) == ("rules", 40)
    assert 0 < steady.cpu < startup.cpu and steady.seconds > 0
    assert "mentions/s" in steady.line(1) and "mentions/s" not in startup.line(1)
