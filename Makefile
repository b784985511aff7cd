# BorderLink: every entry point a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help demo test test-sqlite test-postgres lint typecheck install messages serve bench bench-data bench-stats bench-lists bench-lists-national crash-test clean

help:
	@echo "make demo      - install, migrate the SQLite database under var/, load the Ha Giang demo, serve on http://$(HOST):$(PORT)"
	@echo "make test      - install, then lint, typecheck and run the whole suite (SQLite, then PostgreSQL)"
	@echo "make lint      - ruff check and format check; import layers (lint-imports)"
	@echo "make typecheck - mypy over borderlink/, tests/ and bench/"
	@echo "make bench     - benchmarks against PostgreSQL (ROWS=100000 rows for the import benchmark)"
	@echo "make bench-data  - generate and load the national-scale dataset (BENCH_SCALE=small: 1/100)"
	@echo "make bench-stats - indicator p50/p95 vs DuckDB, dashboard p95 and SQL per page (QUERIES=200)"
	@echo "make bench-lists - list page and API p95, SQL per page, API vs a bare view (ACTIVITIES=100000)"
	@echo "make bench-lists-national - list page and API p95 on the national dataset (make bench-data first)"
	@echo "make crash-test - SIGKILL imports and report renderings (KILLS=100 ROWS=5000 SEED=1), SQLite and PostgreSQL"
	@echo "make messages  - refresh the translation catalogues from the code (needs GNU gettext)"

$(STAMP): pyproject.toml constraints-build.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# xstatic-bootstrap is an sdist whose build imports pkg_resources: build it first, with an old setuptools.
	$(BIN)/python -m pip install --quiet --build-constraint constraints-build.txt "xstatic-bootstrap==5.3.8.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/borderlink compile-messages

demo: install
	mkdir -p var
	$(BIN)/borderlink migrate --noinput
	$(BIN)/borderlink collectstatic --noinput --verbosity 0
	$(BIN)/borderlink load-demo --sample
	$(BIN)/borderlink serve --host $(HOST) --port $(PORT)

# lint-imports: the layers and the domain apps' independence (pyproject.toml [tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy borderlink tests bench

# The browser tests drive the same pages whatever the engine underneath: they run once, in the
# PostgreSQL pass, when there is one (with CI=true there must be); else in the SQLite pass.
test: install lint typecheck
	$(BIN)/borderlink makemigrations --check --dry-run
	@if [ "$$CI" = "true" ] || $(BIN)/python -m borderlink.dbcheck "$(PG_TEST_URL)" 2>/dev/null; then \
		echo "SQLite pass: the browser tests are left to the PostgreSQL pass"; \
		$(MAKE) --no-print-directory test-sqlite PYTEST_ARGS='-m "not browser"'; \
	else \
		$(MAKE) --no-print-directory test-sqlite; \
	fi
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest -n 2 -p no:cacheprovider --durations=15 $(PYTEST_ARGS)

# PostgreSQL: required when CI=true; elsewhere skipped, with the reason, when no server answers.
test-postgres: install
	@if $(BIN)/python -m borderlink.dbcheck "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -n 2 -p no:cacheprovider --durations=15; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL at $(PG_TEST_URL) is required and did not answer" >&2; exit 1; \
	else \
		echo "SKIPPED PostgreSQL run: no server answers at $(PG_TEST_URL)"; \
	fi

messages: install
	cd borderlink && ../$(BIN)/django-admin makemessages --settings=borderlink.settings -l vi -l zh_Hans -l en --no-obsolete --ignore "formats/*"

bench: install
	$(BIN)/python -m bench.import_throughput --rows $${ROWS:-100000}

# The national-scale dataset (about 100,000 units, 20 million activities; BENCH_SCALE=small for
# 5,000 units and 200,000 activities), loaded into PostgreSQL database borderlink_bench.
bench-data: install
	$(BIN)/python -m bench.national_data $(if $(filter small,$(BENCH_SCALE)),--units 5000 --activities 200000)

# Indicator latency against a DuckDB scan of the same ledger, dashboard p95, SQL per page.
bench-stats: install
	$(BIN)/python -m bench.stats_speed --queries $${QUERIES:-200}

# Crash safety, larger than the suite's run (tests/safety/test_crash.py): KILLS kills during
# imports of ROWS rows and report renderings, on SQLite then PostgreSQL (its own database).
CRASH_PG_URL ?= postgres://postgres@127.0.0.1:5432/crashrun
crash-test: install
	CRASH_KILLS=$${KILLS:-100} CRASH_ROWS=$${ROWS:-5000} CRASH_SEED=$${SEED:-1} DATABASE_URL=sqlite:///:memory: \
		$(BIN)/pytest -p no:cacheprovider -q -s tests/safety/test_crash.py
	@if $(BIN)/python -m borderlink.dbcheck "$(dir $(CRASH_PG_URL))postgres"; then \
		CRASH_KILLS=$${KILLS:-100} CRASH_ROWS=$${ROWS:-5000} CRASH_SEED=$${SEED:-1} DATABASE_URL="$(CRASH_PG_URL)" \
			$(BIN)/pytest -p no:cacheprovider -q -s tests/safety/test_crash.py; \
	else echo "SKIPPED PostgreSQL crash run: no server answers at $(CRASH_PG_URL)"; fi

# List pages and the API at ACTIVITIES activities (PostgreSQL database borderlink_lists, or
# BENCH_LISTS_DATABASE_URL): p50/p95, SQL per page, throughput against a bare view.
bench-lists: install
	$(BIN)/python -m bench.lists --activities $${ACTIVITIES:-100000}

# The same pages on the national dataset (20 M activities, borderlink_bench): a province
# editor's and an administrator's p95 against issue 18's 100 ms.
bench-lists-national: install
	$(BIN)/python -m bench.lists_national --requests $${REQUESTS:-30}

bench-portal: install  # the public home page under load over `borderlink serve`: req/s and p95
	$(BIN)/python -m bench.portal_load --seconds $${DURATION:-15} $(if $(RENDER),--render)

clean:
	rm -rf $(VENV) var staticfiles
