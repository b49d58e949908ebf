# The project's vocabulary. `make run` and `make test` are the README's two quickstart commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench peer-venv bench-peer oracle clean auth auth-deps site serve test-web

$(BIN)/bookctl: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,serve]'
	touch $(BIN)/bookctl

setup: $(BIN)/bookctl

# Index our own book (content/ + sidebars.js) and ask it one question with the offline model.
run: setup
	$(BIN)/bookctl ingest
	$(BIN)/bookctl ask "Where should a pushed humanoid step to come to a stop?"

# Regenerate tests/book/oracle.json with real Docusaurus (needs npm and the npm registry).
oracle:
	bash scripts/make-oracle.sh

test: setup auth-deps
	bash scripts/system-deps.sh
	$(BIN)/pytest -q --durations=25
	bash scripts/web.sh test

# The book's website (web/: Docusaurus + packages/docusaurus-plugin-bookctl) built into web/build.
site: setup
	bash scripts/web.sh site

# The built site and `bookctl serve` together on 127.0.0.1; prints the URL to open. With
# AUTH_DATABASE_URL (or DATABASE_URL) set, the readers' accounts service too, and the site has sign-in.
serve: export BOOKCTL_AUTH_URL ?= $(if $(or $(AUTH_DATABASE_URL),$(DATABASE_URL)),http://127.0.0.1:$(or $(BOOKCTL_AUTH_PORT),3001))
serve: setup auth-deps site
	bash scripts/serve.sh

# Only the website's real-browser tests (Debian's chromium + playwright-core; installs both).
test-web: setup auth-deps
	bash scripts/web.sh test

# The readers' accounts service (services/auth/, Better Auth on Node): its npm packages, exactly
# as package-lock.json pins them; `make auth` starts it (settings from the environment, see its README).
AUTH := services/auth
$(AUTH)/node_modules/.installed: $(AUTH)/package-lock.json
	cd $(AUTH) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

auth-deps: $(AUTH)/node_modules/.installed

auth: auth-deps
	cd $(AUTH) && node src/server.js

# Style, formatting and types; .ci/run runs it before the tests.
LINTED := bookctl tests bench scripts
lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy bookctl

# Speed, memory and scaling; writes bench/results.json and the README's benchmark table.
# Includes the LlamaIndex peer: it installs .venv-peer first (`make peer-venv`); if that fails (no
# package registry), the peer is reported as skipped with the reason and the rest still runs.
bench: setup
	-$(MAKE) --no-print-directory peer-venv
	$(BIN)/python bench/run.py

# The peer's own virtualenv: the `bench` extra of pyproject.toml (LlamaIndex, fastembed, the model
# weights), kept apart from bookctl's venv. bookctl itself is not installed there.
PEER := .venv-peer
$(PEER)/.installed: pyproject.toml
	$(PY) -m venv $(PEER)
	$(PEER)/bin/pip install -q $$($(PY) -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['bench']))")
	touch $@

peer-venv: $(PEER)/.installed

# Only the peer section (bookctl vs LlamaIndex on the book and both corpora); merges it into
# bench/results.json and prints its Markdown table; leaves the README alone.
bench-peer: setup peer-venv
	$(BIN)/python bench/run.py --only peer

clean:
	rm -rf $(VENV) $(PEER) .bookctl .pytest_cache $(AUTH)/node_modules web/build web/.docusaurus packages/docusaurus-plugin-bookctl/lib
