# Case Audit. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := CASEAUDIT_ENVIRONMENT=demo

.PHONY: help demo serve test test-sqlite test-postgres lint format system-packages lock assets clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/caseaudit: pyproject.toml constraints.txt
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(BIN)/python ] || $$python -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test]'
	@touch $@

demo: $(BIN)/caseaudit ## Install, load the demo partnership and serve it on http://127.0.0.1:8000
	$(DEMO_ENV) $(BIN)/caseaudit demo
	$(DEMO_ENV) $(BIN)/caseaudit serve --bind 127.0.0.1:8000

test: $(BIN)/caseaudit system-packages lint test-sqlite test-postgres ## Install everything, lint, and run every test on SQLite and PostgreSQL

test-sqlite: $(BIN)/caseaudit ## Run the test suite on SQLite
	$(BIN)/pytest -n 2 --dist loadfile

test-postgres: $(BIN)/caseaudit ## Run the test suite on a private PostgreSQL started for the run
	scripts/with-postgres $(BIN)/pytest -n 2 --dist loadfile

lint: $(BIN)/caseaudit ## Ruff lint and format check, migrations check, mypy, bandit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CASEAUDIT_ENVIRONMENT=test $(BIN)/python manage.py makemigrations --check --dry-run
	CASEAUDIT_ENVIRONMENT=test $(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -r caseaudit config -q

bench: $(BIN)/caseaudit system-packages ## Measure load, page and report times on SQLite and PostgreSQL (about 30 min; writes docs/benchmarks.md)
	scripts/bench

format: $(BIN)/caseaudit ## Fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-packages: ## Install the Debian packages the tests need (Chromium, PostgreSQL, PDF tools)
	scripts/install-system-packages

lock: $(BIN)/caseaudit ## Re-pin every Python dependency into constraints.txt
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

assets: ## Rebuild the vendored front-end files from npm packages
	frontend/build.sh

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
