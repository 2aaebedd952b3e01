# The ITU capacity-development data platform. `make help` lists the targets.
# Two commands set up a fresh machine: `make demo` and `make test`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# uv is used from PATH when present; otherwise it is bootstrapped into .tools/ (git-ignored).
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
SCALE ?= 1
SEED ?= 42

export CAPDEV_DATA_DIR ?= $(CURDIR)/data

.PHONY: help install browser pdf-libs demo test test-fast dbt-unit test-stack lint format reference airflow dashboards docs stack stack-stop bench evaluate report clean

help: ## Show this help
	@echo "ITU capacity-development data platform"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: SCALE=$(SCALE) (sandbox size, 1 = ITU's real size)  SEED=$(SEED)  CAPDEV_DATA_DIR=$(CAPDEV_DATA_DIR)"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

# --compile-bytecode: every installed module compiled once, here. Otherwise each new Python process
# (every Airflow task, dbt run and validation) compiles what it imports from source when it cannot
# write a cache (PYTHONDONTWRITEBYTECODE, a read-only venv): importing the stack then costs about
# 10 s of CPU instead of 4.
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@touch $@

install: .venv/.synced ## Install the locked environment (.venv) with uv, bootstrapping uv if needed

# A DuckDB 1.x client in its own locked environment: tests open the published files with it,
# as BI tools that still ship DuckDB 1.x do.
DUCKDB1 := tests/duckdb1_reader
$(DUCKDB1)/.venv/.synced: $(DUCKDB1)/pyproject.toml $(DUCKDB1)/uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --project $(DUCKDB1)
	@touch $@

# Apache Superset in its own locked environment (it pins other SQLAlchemy and DuckDB versions
# than the pipeline): the dashboards over the published warehouse, and their test.
DASHBOARDS := dashboards
$(DASHBOARDS)/.venv/.synced: $(DASHBOARDS)/pyproject.toml $(DASHBOARDS)/uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --project $(DASHBOARDS)
	@touch $@

# The demo and the tests run with the public development pseudonymization key
# (CAPDEV_ALLOW_DEV_KEY=1); anything else needs a real CAPDEV_PSEUDONYM_KEY (docs/privacy.md).
demo: install pdf-libs ## Generate the sandbox, run the nightly pipeline through real Airflow, show the results
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) capdev-sandbox demo --scale $(SCALE) --seed $(SEED)

test: install browser pdf-libs $(DUCKDB1)/.venv/.synced $(DASHBOARDS)/.venv/.synced ## Run the test suite (unit, integration, end to end through real Airflow)
	# Three workers on two cores, whole files each, the long modules first (tests/conftest.py;
	# --no-loadscope-reorder keeps that order: xdist would put the files with most tests first):
	# the end-to-end modules spend much of their time waiting on Airflow, Celery and Superset.
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=15

test-stack: install pdf-libs ## Only the night on the native production stack, with its faults (pytest -m stack)
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) pytest -m stack -q --durations=5

test-fast: install pdf-libs ## Unit tests only, the dbt unit tests included: the everyday subset (about one minute)
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) pytest tests/unit -n 2 -q

# The dbt unit tests (unit_tests: in the models' yml, rows in dbt_project/tests/fixtures/) on an
# empty DuckDB file in a temporary folder; SELECT=<model>: that model's, SELECT=<unit test>: that one.
dbt-unit: install ## Only the dbt unit tests (SELECT=int_scores_normalized: one model's); dbt_project/README.md
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) python -m ingestion.warehouse.dbt_unit_tests $(SELECT)

# The Council report test renders the HTML in a real headless Chromium, from Debian's packages.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: ## Install headless Chromium (Debian package) for the report test, if missing
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing chromium (Debian package) for the report test"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Council report's PDF (WeasyPrint) needs Pango and local fonts, from Debian's packages.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core
pdf-libs: ## Install Pango and fonts (Debian packages) for the Council report's PDF, if missing
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi "liberation sans"; } || { \
		echo "Installing Pango and fonts (Debian packages) for the Council report's PDF"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; }

# sqlfluff is most of lint's time (parsing and layout rules, not dbt): one process per core
# (--processes 0). Its worker pool leaves a harmless resource_tracker warning: silenced.
lint: install ## Lint Python (ruff) and SQL (sqlfluff); CI runs it before the tests
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	CAPDEV_ALLOW_DEV_KEY=1 PYTHONWARNINGS="ignore::UserWarning:multiprocessing.resource_tracker" \
		$(RUN) sqlfluff lint --processes 0 dbt_project/models dbt_project/snapshots

format: install ## Format Python and fix SQL
	$(RUN) ruff format .
	$(RUN) ruff check --fix .
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) sqlfluff fix dbt_project/models

# The country spellings seed is generated, never edited by hand (docs/reference-data.md).
reference: install ## Regenerate dbt_project/seeds/country_aliases.csv (countries.csv + CLDR + ingestion/reference/country_variants.csv)
	$(RUN) python -m ingestion.reference.countries

airflow: install ## Open the Airflow UI locally (airflow standalone) with the project's DAGs and the sandbox
	$(RUN) capdev-sandbox airflow

dashboards: install $(DASHBOARDS)/.venv/.synced ## Start Superset on http://127.0.0.1:8088 over the published warehouse (after `make demo`); logins in data/superset/
	@test -f "$(CAPDEV_DATA_DIR)/published/capdev.duckdb" || { echo "No published warehouse in $(CAPDEV_DATA_DIR)/published: run make demo first"; exit 2; }
	@test -f "$(CAPDEV_DATA_DIR)/dbt_docs/index.html" || CAPDEV_ALLOW_DEV_KEY=1 $(RUN) python -m ingestion.publish.docs
	$(DASHBOARDS)/.venv/bin/python $(DASHBOARDS)/start.py

# The docs describe the models and columns, they hash nothing: the development key is enough.
docs: install ## Regenerate the data dictionary now (dbt docs of the published warehouse; transform_warehouse does it after each publish), served by `make dashboards` at /dbt-docs/
	CAPDEV_ALLOW_DEV_KEY=1 $(RUN) python -m ingestion.publish.docs

# The production stack of docker-compose.yml without Docker: PostgreSQL and Redis from Debian
# (installed if missing) on loopback, Airflow with the CeleryExecutor and two workers; state and
# pidfiles in data/stack/ (ops/stack/). Settings: .env if present, else data/stack/stack.env.
stack: install pdf-libs ## Start the production stack natively (CeleryExecutor, PostgreSQL, Redis): ops/stack/
	$(RUN) python -m ops.stack up

stack-stop: ## Stop exactly the processes `make stack` started (data/stack/pids/)
	$(RUN) python -m ops.stack down

bench: install ## Report timings and quality figures at scale 1 and 10 (SCALES="1 10"): first, quiet and ~1%-change nights (time and peak RSS per stage), dbt build against its plain-DuckDB bound (where dbt's time goes), the Council publish and its disclosure audit, the identity bench, and the Academy far away (50 ms first load; 300 ms killed and retried)
	$(RUN) capdev-sandbox bench --scales "$(or $(SCALES),1 10)"
	$(RUN) capdev-sandbox bench identity
	$(RUN) capdev-sandbox bench distance

evaluate: install ## Compare the warehouse (the build file's private tier) with the sandbox ground truth
	$(RUN) capdev evaluate

report: install pdf-libs ## Render the Council report from the published warehouse (FROM=2018 TO=2026)
	$(RUN) capdev report --from $(or $(FROM),2018) --to $(or $(TO),$(shell date +%Y))

clean: ## Remove generated data (data/), keep the environment
	rm -rf data
