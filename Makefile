# Mirrors the README. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo run test lint format bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,en]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## build the warehouse from the demo world, serve Dagster UI (:3000) and the page (:8501)
	$(BIN)/ecoute demo

run: $(STAMP)  ## build once, non-interactive
	$(BIN)/ecoute run

test: $(STAMP)  ## the whole test suite (loopback only)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)  ## speed and quality figures (prints ratios against baselines)
	$(BIN)/ecoute bench enrich
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf .ecoute dbt_project/target dbt_project/logs .pytest_cache
