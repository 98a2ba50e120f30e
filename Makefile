# Two commands on a fresh machine:
#   make demo   load the official list files into the embedded SQLite store and show them
#   make test   the whole test suite (lint, types, pytest on SQLite and PostgreSQL)
# Both create their own virtual environment in .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED := ../shared/fixtures/lists
DB ?= discreet.db

.PHONY: install system-deps demo test lint typecheck clean bench

$(BIN)/discreet: pyproject.toml setup.py $(wildcard src/discreet/*/*.pyx src/discreet/*/*.pxi)
	bash scripts/build-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/discreet

system-deps:
	bash scripts/system-deps.sh

demo: install
	bash scripts/demo.sh $(DB)

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

test: install system-deps lint
	$(BIN)/pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/bench_history.py

clean:
	rm -rf $(VENV) discreet.db discreet.db-wal discreet.db-shm
