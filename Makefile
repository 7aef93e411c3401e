# Sanxiang — the two commands that set everything up on a fresh machine:
#   make run    install, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test   the whole test suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto
# Debian packages the project needs: Pango (WeasyPrint), CJK font stand-ins and poppler for
# documents, chromium for the browser tests, postgresql-client (pg_dump/pg_restore) for
# `manage.py backup` on PostgreSQL. Installed when missing and we are root (CI, a fresh
# server); `make run` needs them too, because the demo renders documents.
DEB_PACKAGES := chromium postgresql-client libpango-1.0-0 libpangoft2-1.0-0 fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei poppler-utils fontconfig

.PHONY: run test bench install system-deps migrate demo lint format check-deploy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Please install (as root): apt-get install$$missing"; exit 1; \
	  fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate system-deps
	$(PY) manage.py demo

run: demo
	$(PY) manage.py demo --logins
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps
	$(PY) -m pytest -q -n $(TEST_WORKERS)

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check sanxiang bench tools conftest.py

format: install
	$(VENV)/bin/ruff format sanxiang bench tools conftest.py
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-not-used-for-anything-real SECURE_COOKIES=1 $(PY) manage.py check --deploy

clean:
	rm -rf $(VENV) var/static
