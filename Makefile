# The README's two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings build e-mail links from PORT (SITE_URL's default), so the worker's e-mails point where we serve.
export PORT
WORKER_CONCURRENCY ?= 2
MANAGE := $(PY) manage.py
LOCALES := fr es

.PHONY: run test install system-deps assets migrate demo lint check worker clean messages

$(VENV)/.installed: pyproject.toml
	@echo "==> Python packages into $(VENV)/ (the first time takes a few minutes)"
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || $$PYTHON_BIN -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> npm packages into node_modules/"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compiles the translation catalogues (locale/*/django.po -> .mo, not kept in git); needs gettext (system-deps).
# Without gettext the portal still runs, in English only, and says so.
install: $(VENV)/.installed assets
	@echo "==> Translations (French, Spanish)"
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "gettext is not installed: the portal runs in English only (make system-deps installs it)." >&2; fi

assets: node_modules/.installed

# Brings locale/*/django.po up to date with the marked strings (no source locations, so catalogues merge cleanly);
# then translate every new or fuzzy entry: tests/iscm_portal/test_catalogues.py fails until none is left.
messages: $(VENV)/.installed
	$(MANAGE) makemessages $(foreach l,$(LOCALES),-l $(l)) --no-location --no-obsolete \
	  --ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles --ignore=benchmarks

# Debian packages for PDF rendering and browser tests; needs root (CI runs as root).
system-deps:
	@bash scripts/system-deps

migrate: install
	@echo "==> Database: applying migrations"
	@$(MANAGE) migrate --noinput -v 0

demo: migrate
	@echo "==> Reference data (GCM, States, mechanisms)"
	@$(MANAGE) load_reference_data
	@echo "==> Demo data (the first time takes a minute or two)"
	@$(MANAGE) seed_demo

# The worker runs the background tasks (a package compile, e-mails) beside the web server, on the broker
# the settings name: the embedded one under .local-broker/ unless CELERY_BROKER_URL is set. Both run in
# their own process groups (set -m), so however make is stopped (Ctrl+C, or TERM to make alone) the trap
# stops the server's whole group (the autoreloader's child too) and the worker's main process, which
# stops its own pool; a worker that has not finished its tasks within 30 s is killed.
run: demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ with a Celery worker (Ctrl+C stops both)"
	@set -m; \
	  $(VENV)/bin/celery -A iscm_portal worker --loglevel=warning --concurrency=$(WORKER_CONCURRENCY) & worker=$$!; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT) & server=$$!; \
	  trap 'kill -TERM -- -$$server 2>/dev/null; kill -TERM $$worker 2>/dev/null; \
	    for _ in $$(seq 30); do kill -0 $$worker 2>/dev/null || break; sleep 1; done; \
	    kill -KILL -- -$$worker 2>/dev/null; wait' EXIT; \
	  trap 'exit 130' INT; trap 'exit 143' TERM HUP; \
	  wait $$server

test: system-deps install
	DJANGO_SETTINGS_MODULE=iscm_portal.settings.test $(PY) -m pytest $(PYTEST_ARGS)
	@# Fault tests stop and restart real processes, so they run alone, after the rest (`pytest -m fault`); a run
	@# narrowed with PYTEST_ARGS leaves them out.
	if [ -z "$(PYTEST_ARGS)" ]; then DJANGO_SETTINGS_MODULE=iscm_portal.settings.test \
	  $(PY) -m pytest -m fault -q -p no:cacheprovider; fi
	@# Tests marked `sqlite` must hold on the embedded default too: on PostgreSQL runs (CI) they run again on SQLite.
	case "$$DATABASE_URL" in postgres*) DATABASE_URL=sqlite:///db.sqlite3 DJANGO_SETTINGS_MODULE=iscm_portal.settings.test \
	  $(PY) -m pytest -m sqlite -q -p no:cacheprovider ;; esac

lint: install
	$(PY) -m ruff check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

worker: install
	$(VENV)/bin/celery -A iscm_portal worker -l info

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media .pytest_cache
