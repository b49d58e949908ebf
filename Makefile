# The project's vocabulary. `make run` and `make test` are the README's two quickstart commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench oracle clean

$(BIN)/bookctl: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/bookctl

setup: $(BIN)/bookctl

# Index our own book (content/ + sidebars.js) and ask it one question with the offline model.
run: setup
	$(BIN)/bookctl ingest
	$(BIN)/bookctl ask "Where should a pushed humanoid step to come to a stop?"

# Regenerate tests/book/oracle.json with real Docusaurus (needs npm and the npm registry).
oracle:
	bash scripts/make-oracle.sh

test: setup
	bash scripts/system-deps.sh
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check bookctl tests

# Speed, memory and scaling; writes bench/results.json and the README's benchmark table.
bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .bookctl .pytest_cache
