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

# Parse, chunk, embed and index our own book, then ask it one question (offline model).
run: setup
	$(BIN)/bookctl chapters
	$(BIN)/bookctl ingest --dry-run

test: setup
	bash scripts/system-deps.sh
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check bookctl tests
	$(BIN)/ruff format --check bookctl tests

clean:
	rm -rf $(VENV) .bookctl .pytest_cache
