# PlanKPI — one entry point per task. Everything installs itself into .venv.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PLANKPI_DATA ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install manifest run pipeline sample users dashboard dagster test test-fast browser-deps office-deps clean bench bench-province bench-dashboard bench-load screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed manifest $(DAGSTER_HOME)/dagster.yaml

# dagster-dbt needs dbt's manifest before Definitions load; built here, never at import.
manifest: $(VENV)/.installed
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

# The instance's settings: no telemetry, Dagster's run queue with one run at a time (see dagster.yaml).
$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

# Sample submissions are written once; the same plans always give the same bytes.
sample: install
	@if ls $(PLANKPI_DATA)/archive/示例数据_* >/dev/null 2>&1 || ls $(PLANKPI_DATA)/inbox/示例数据_* >/dev/null 2>&1; \
	then echo "示例数据已存在 / sample data already present"; else $(BIN)/plankpi sample; fi

pipeline: sample office-deps
	$(BIN)/plankpi run

# A production server: gunicorn, several worker processes (never Flask's development server).
DASH_HOST ?= 127.0.0.1
DASH_PORT ?= 8050
DASH_WORKERS ?= 3
dashboard: install
	@echo "PlanKPI 仪表板 / dashboard: http://$(DASH_HOST):$(DASH_PORT)/"
	$(BIN)/gunicorn --workers $(DASH_WORKERS) --threads 4 --bind $(DASH_HOST):$(DASH_PORT) \
	  --access-logfile - --timeout 60 dashboards.wsgi:server

# Demo accounts (leader, auditor, admin, two units): passwords are printed once, when created.
users: install
	$(BIN)/plankpi users demo

run: pipeline users dashboard

dagster: install
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

# LibreOffice headless: Writer turns the monthly bulletin's .docx into its PDF (in every `plankpi run`, so
# `make run` needs it too), Calc re-saves test workbooks as an office does; Noto CJK for the PDF and charts.
office-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    fonts-noto-cjk libreoffice-calc-nogui libreoffice-writer-nogui; \
	fi

# Chromium for the browser tests.
browser-deps: office-deps
	@if ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

test: install browser-deps
	$(BIN)/pytest --headless

test-fast: install
	$(BIN)/pytest -m "not browser and not pipeline"

# The real pipeline (Dagster, as a user runs it) on the seeds and on a 50-document synthetic province:
# time and peak memory per stage, one new file through the sensor's job, the month's templates, every
# dashboard callback next to its bare DuckDB queries. Results: bench/results/<date>-<sizes>.json and .md.
bench: install office-deps
	$(BIN)/python -m pipelines.bench --sizes seeds,50 --compare bench/results/2026-12-01-seeds-50.json

# The same at province scale: 50, 500 and 2,000 documents (≈ 3M report rows); ≈ 7 min on 2 cores.
# Templates are left out (≈ 25 ms a unit: 40,000 units; they are a monthly job).
bench-province: install office-deps
	$(BIN)/python -m pipelines.bench --sizes 50,500,2000 --no-templates --compare bench/results/2026-12-01-50-500-2000.json

# Server time of every dashboard callback on the published snapshot of PLANKPI_DATA.
bench-dashboard: install
	$(BIN)/python -m dashboards.bench

# 50 simulated readers against gunicorn for 30 s while a new snapshot is published (PLANKPI_DATA's).
bench-load: install
	$(BIN)/python -m dashboards.loadtest --users 50 --seconds 120

# Every page (zh and en, desktop and a 390-px phone) as PNG files in docs/screenshots/, from the published
# snapshot of PLANKPI_DATA (run the pipeline first: make pipeline).
SCREENSHOTS ?= docs/screenshots
screenshots: install browser-deps
	$(BIN)/python -m dashboards.screenshots --out $(SCREENSHOTS)

clean:
	rm -rf $(PLANKPI_DATA)/{inbox,archive,quarantine,outbox,warehouse,serving,quality} $(DAGSTER_HOME) dbt_project/target
