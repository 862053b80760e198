# The two commands in README: `make demo` runs the app, `make test` runs the tests.
# Each installs what it needs (a virtualenv from PyPI, front-end assets from npm) the first time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYDEPS := $(VENV)/.installed
CSS    := web/static/build/weaver.css

.PHONY: demo test lint bench bench-contacts screenshots install assets clean

demo: $(PYDEPS) $(CSS)
	$(BIN)/crm demo

test: $(PYDEPS) $(CSS)
	$(BIN)/pytest

lint: $(PYDEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(PYDEPS)
	$(BIN)/python -m bench.ingest

bench-contacts: $(PYDEPS)
	$(BIN)/python -m bench.contacts

screenshots: $(PYDEPS) $(CSS)
	$(BIN)/python -m docs.screenshots.make_screenshots

install: $(PYDEPS)

assets: $(CSS)

$(PYDEPS): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Weaver needs Python 3.11 or newer: run with PYTHON=python3.11 (or newer)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(CSS): package.json package-lock.json web/assets/weaver.scss web/assets/copy-scripts.mjs
	npm ci --no-audit --no-fund
	npm run build

clean:
	rm -rf $(VENV) node_modules web/static/build
