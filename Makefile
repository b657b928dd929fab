# The README's two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: run test install system-deps assets migrate demo lint check worker clean

$(VENV)/.installed: pyproject.toml
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || $$PYTHON_BIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed assets

assets: node_modules/.installed

# Debian packages for PDF rendering and browser tests; needs root (CI runs as root).
system-deps:
	@bash scripts/system-deps

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo

run: demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install system-deps
	DJANGO_SETTINGS_MODULE=iscm_portal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

worker: install
	$(VENV)/bin/celery -A iscm_portal worker -l info

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media .pytest_cache
