# Mirrors the README. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo run test test-fast lint typecheck check ci format bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,en,postgres]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## build the warehouse from the demo world, serve Dagster UI (:3000) and the page (:8501)
	$(BIN)/ecoute demo

run: $(STAMP)  ## build once, non-interactive
	$(BIN)/ecoute run

test: $(STAMP)  ## the whole test suite (loopback only)
	$(BIN)/pytest

test-fast: $(STAMP)  ## the pure-function layer only (no pipeline, dbt, pool or build): under a minute
	$(BIN)/pytest -m "not slow"

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy on every package and the tests (configured in pyproject.toml)
	$(BIN)/mypy

check: $(STAMP)  ## the dbt project parses and the Dagster definitions load (on ecoute.yml)
	$(BIN)/dbt parse --quiet --project-dir dbt_project --profiles-dir dbt_project
	env -u DAGSTER_HOME $(BIN)/dagster definitions validate -m orchestration.definitions

ci: lint typecheck check test  ## what .ci/run runs on a clean clone

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)  ## speed and quality figures (prints ratios against baselines)
	$(BIN)/ecoute bench enrich
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf .ecoute dbt_project/target dbt_project/logs .pytest_cache .mypy_cache
