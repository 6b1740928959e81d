# SmartCommune — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test messages lint clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the dependency lists change.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	touch $@

install: $(VENV)/.installed messages
install-test: $(VENV)/.installed-test messages

# Compile translations with Babel (pure Python): no system gettext needed.
messages: $(VENV)/.installed
	$(BIN)/python -m smartcommune.core.i18n

run: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo --quiet
	DJANGO_DEBUG=true $(BIN)/python manage.py signing_ca init --if-missing
	DJANGO_DEBUG=true $(BIN)/python manage.py signing_ca issue-all
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo --logins-only
	DJANGO_DEBUG=true $(BIN)/python manage.py serve --addr $(HOST):$(PORT)

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
