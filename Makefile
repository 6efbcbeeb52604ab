# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist); the machine has two cores.
TEST_WORKERS ?= 2

.PHONY: run test lint format e2e bench load faults install migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# django-notifications-community replaced django-notifications-hq; both install the package
# `notifications`, so a .venv that still has the old one drops both before the lock is installed
# (uninstalling the old one afterwards would delete the new one's files).
$(STAMP): requirements.lock | $(BIN)/python
	@if $(BIN)/python -m pip show --quiet django-notifications-hq 2>/dev/null; then \
		echo "Removing django-notifications-hq (replaced by django-notifications-community)"; \
		$(BIN)/python -m pip uninstall --quiet --yes django-notifications-hq \
			django-notifications-community jsonfield django-model-utils; \
	fi
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(HOST):$(PORT)/  (Wagtail: /cms/, API: /api/v1/); mail: var/mail/"
	@# One task worker beside daphne (db_worker, or rqworker with REDIS_URL); it stops with daphne.
	@$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

e2e: install
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# faults.py needs the load layout (PostgreSQL, Redis): it runs with `make faults`, not here.
bench: install
	@for script in $(filter-out benchmarks/faults.py,$(wildcard benchmarks/*.py)); do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Members under load on PostgreSQL + Redis with two daphne workers (README: Load and faults).
USERS ?= 50
DURATION ?= 5m
load: install
	$(BIN)/python benchmarks/load/run.py --users $(USERS) --duration $(DURATION)

# 20 members unless USERS is given on the command line; about 2 minutes of load.
faults: install
	$(BIN)/python benchmarks/faults.py $(if $(filter command line,$(origin USERS)),--users $(USERS))

clean:
	rm -rf $(VENV) staticfiles test-db.sqlite3*
