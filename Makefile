# Burgerkracht. `make run` and `make test` work on a fresh clone without root or services.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-integration test-integration-app-role test-postgres-services test-e2e lint lock openapi format bench messages makemessages venv clean

# The venv is rebuilt when a requirements file changes; the stamp file records that.
$(VENV)/.stamp-run: requirements.txt requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-nodeps.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt $(VENV)/.stamp-run
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.stamp-dev

messages: $(VENV)/.stamp-run
	$(VENV)/bin/pybabel compile --domain django --directory locale 2>&1 | grep -v "^compiling" || true
	@for lang in nl en; do test -f locale/$$lang/LC_MESSAGES/django.mo || { echo "locale/$$lang not compiled"; exit 1; }; done

# Extract new strings (needs GNU gettext's xgettext), then fill the English catalogue.
makemessages: $(VENV)/.stamp-dev
	DEBUG=1 $(PY) manage.py makemessages --locale nl --locale en --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'scripts/*' --no-obsolete
	$(PY) scripts/i18n_check.py --fill-en

# The console shows what a person needs (the demo log-ins, the address); the details of the
# migrations and the demo data go to $(RUN_LOG).
RUN_LOG := var/log/make-run.log
# The open demo poll and its trustees' keys (seed_demo shows them once; kept here for the console).
DEMO_NOTES := var/demo-poll.txt

run: $(VENV)/.stamp-run messages
	@mkdir -p $(dir $(RUN_LOG))
	@echo "Preparing the database and the demo data (details in $(RUN_LOG)) ..."
	@DEBUG=1 $(PY) manage.py migrate --no-input > $(RUN_LOG) 2>&1 || { tail -n 30 $(RUN_LOG); exit 1; }
	@DEBUG=1 $(PY) manage.py seed_demo --verbosity 2 --notes-file $(DEMO_NOTES) >> $(RUN_LOG) 2>&1 || { tail -n 30 $(RUN_LOG); exit 1; }
	@DEBUG=1 $(PY) manage.py create_demo_users
	@cat $(DEMO_NOTES) 2>/dev/null || true
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	@DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The fast suite and the services' tests on PostgreSQL run on every CPU, at most four at once
# (pytest-xdist; each worker has its own test database). `make test TEST_WORKERS=0` runs them in
# one process, as a debugger or `--pdb` needs.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --maxprocesses 4

test: $(VENV)/.stamp-dev messages
	$(VENV)/bin/pytest $(XDIST)

test-integration: $(VENV)/.stamp-dev messages
	$(PY) scripts/integration.py

# The same tests with their own database work done as a role that owns nothing (deploy/README.md).
test-integration-app-role: $(VENV)/.stamp-dev messages
	INTEGRATION_APP_ROLE=bk_app_suite PYTHONPATH=scripts $(PY) scripts/integration.py -p integration_app_role \
		-k "not test_app_role and not written_by_one_statement"

# The fast suite's tests of every app (SUITES in scripts/services_on_postgres.py) on a throwaway
# PostgreSQL, each test committed, so the database's own rules judge what the services write
# (tests/at_commit.py).
test-postgres-services: $(VENV)/.stamp-dev messages
	$(PY) scripts/services_on_postgres.py $(XDIST)

test-e2e: $(VENV)/.stamp-dev messages
	$(VENV)/bin/pytest tests/e2e --override-ini addopts="-ra --strict-markers --durations=10"

lint: $(VENV)/.stamp-dev messages
	@# requirements*.txt must be compiled from requirements/*.in (`make lock`); no network needed.
	$(PY) scripts/lock.py --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@# --sources: every string of the code and templates has its entry (makemessages on a copy).
	$(PY) scripts/i18n_check.py --sources
	$(VENV)/bin/lint-imports --config .importlinter
	$(PY) scripts/check_ledger_access.py
	$(PY) scripts/check_sizes.py
	@# The committed OpenAPI document must be what the code describes (`make openapi` refreshes it).
	DEBUG=1 $(PY) manage.py spectacular --lang nl --validate --fail-on-warn --file .openapi-check.yaml
	diff -u api/openapi.yaml .openapi-check.yaml && rm -f .openapi-check.yaml

# Compile requirements/*.in into the fully pinned requirements.txt and requirements-dev.txt
# (pip-compile; needs the package index). Upgrade one package: make lock ARGS=--upgrade-package=NAME
lock: $(VENV)/.stamp-dev
	$(PY) scripts/lock.py $(ARGS)

openapi: $(VENV)/.stamp-dev
	DEBUG=1 $(PY) manage.py spectacular --lang nl --validate --fail-on-warn --file api/openapi.yaml

format: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every benchmark against a throwaway PostgreSQL (and Redis, gunicorn where it needs them), then one
# table of all measures against their targets (bench/table.py; `make bench-table` prints it again).
# The vote: 4,500 voters in fifteen rounds of 300 (rounds of 60 votes varied by a fifth in one run;
# the median of five rounds went from 0.29 to 0.36 between runs, of fifteen from 0.302 to 0.308).
bench: $(VENV)/.stamp-dev messages
	$(PY) bench/run.py --postgres
	$(PY) bench/sroi.py --postgres
	$(PY) bench/voting.py --voters 4500 --rounds 15 --threads 8
	$(PY) bench/voting.py --voters 4500 --rounds 15 --threads 8 --web-cpus 1
	$(PY) bench/pages.py
	$(PY) bench/open_data.py
	$(PY) bench/annual_report.py
	$(PY) bench/budget_round.py
	$(PY) bench/table.py

.PHONY: bench-table
bench-table:
	$(PY) bench/table.py

.PHONY: bench-voting bench-sroi bench-reports bench-budget
bench-voting: $(VENV)/.stamp-dev messages
	$(PY) bench/voting.py

bench-sroi: $(VENV)/.stamp-dev messages
	$(PY) bench/sroi.py

bench-reports: $(VENV)/.stamp-dev messages
	$(PY) bench/reports.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles media

bench-budget: $(VENV)/.stamp-dev
	$(PY) bench/budget_round.py

# NL Design System CSS, vendored (no CDN, no Node for `make run`). Needs npm only to refresh:
# `make vendor-nlds NLDS_VERSION=9.0.4`; commit the result with static/vendor/utrecht/VERSION.
NLDS_VERSION ?= 9.0.4
.PHONY: vendor-nlds
vendor-nlds:
	rm -rf .nlds-tmp && mkdir .nlds-tmp
	cd .nlds-tmp && npm pack --silent @utrecht/component-library-css@$(NLDS_VERSION) >/dev/null && tar xzf utrecht-component-library-css-$(NLDS_VERSION).tgz
	cp .nlds-tmp/package/dist/index.css static/vendor/utrecht/component-library.css
	cp .nlds-tmp/package/LICENSE.md static/vendor/utrecht/LICENSE.md
	printf '@utrecht/component-library-css %s\nlicence: EUPL-1.2\nsource: https://www.npmjs.com/package/@utrecht/component-library-css\nfile: dist/index.css\n' $(NLDS_VERSION) > static/vendor/utrecht/VERSION
	rm -rf .nlds-tmp
