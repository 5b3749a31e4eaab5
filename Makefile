# Developer entry points. `make help` lists them.
# Targets run their steps in order; parallel make (-j) is not supported.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAGE := scripts/stage.sh
# Touched after each install: pip runs again only when pyproject.toml is newer.
INSTALLED := $(VENV)/.installed
HTMX := src/dairyhaccp/web/static/vendor/htmx.min.js
# Folders that hold no translations of ours (makemessages already skips dot-folders).
NOT_OURS := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var

.PHONY: help run test lint fmt typecheck bench load crash messages system-run system-test translations

help:
	@echo "make run        set up (venv, assets, translations, database, demo data) and serve"
	@echo "                the app with gunicorn on http://127.0.0.1:8000"
	@echo "make test       everything CI checks: lint, typecheck, migrations, pytest on SQLite"
	@echo "                (browser tests included) and on a throw-away PostgreSQL"
	@echo "make lint       ruff format --check, ruff check, import-linter contracts"
	@echo "make fmt        reformat and apply ruff's safe fixes"
	@echo "make typecheck  mypy (strict on the core)"
	@echo "make bench      run bench/bench_*.py and print their figures"
	@echo "make load       50 users for 3 minutes on loopback, SQLite and PostgreSQL (locust)"
	@echo "make crash      kill -9 the server while it writes; count acknowledged writes lost"
	@echo "make messages   extract translatable strings into the nl, fr and en catalogues"

# --- set-up ---------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(STAGE) "pip install" $(BIN)/pip install --no-input -e '.[test]'
	touch $@

$(HTMX): package.json package-lock.json scripts/assets.sh
	$(STAGE) assets scripts/assets.sh

system-run:
	$(STAGE) "system packages" scripts/system-deps.sh run

system-test:
	$(STAGE) "system packages" scripts/system-deps.sh test

translations: $(INSTALLED)
	$(STAGE) compilemessages $(MANAGE) compilemessages $(NOT_OURS) --verbosity 0

# --- entry points ---------------------------------------------------------------------------

run: system-run $(INSTALLED) $(HTMX) translations
	scripts/serve.sh

# pytest exits 5 when it collects no test; like any non-zero exit, that fails the target.
# The SQLite pass ignores a DATABASE_URL from the caller's environment.
test: system-test $(INSTALLED) $(HTMX) translations
	$(STAGE) "ruff format" $(BIN)/ruff format --check .
	$(STAGE) "ruff check" $(BIN)/ruff check .
	$(STAGE) mypy $(BIN)/mypy
	$(STAGE) import-linter $(BIN)/lint-imports
	$(STAGE) "migrations check" $(MANAGE) makemigrations --check --dry-run
	$(STAGE) "pytest (SQLite)" env -u DATABASE_URL $(BIN)/pytest
	$(STAGE) "pytest (PostgreSQL)" scripts/with-postgres.sh $(BIN)/pytest -m "not browser"

lint: $(INSTALLED)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

fmt: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(INSTALLED)
	$(BIN)/mypy

bench: $(INSTALLED)
	for benchmark in bench/bench_*.py; do $(BIN)/python "$$benchmark"; done

# Measured, not timed tests: each prints its figures and fails only when a request failed
# (load) or an acknowledged write was lost (crash).
load: system-test $(INSTALLED) $(HTMX) translations
	bench/load.sh both

crash: system-test $(INSTALLED)
	env -u DATABASE_URL $(BIN)/python bench/kill_nine.py
	scripts/with-postgres.sh $(BIN)/python bench/kill_nine.py

messages: $(INSTALLED)
	$(MANAGE) makemessages -l nl -l fr -l en $(NOT_OURS)
