# SEND Navigator. Two commands on a fresh machine: `make run` and `make test`.
#
# Two Python environments, each pinned by its own lock file (see requirements/):
#   .venv-rasa  Python 3.10, the Rasa server and components/ only (Rasa 3.6 runs on nothing newer);
#   .venv       the newest supported Python (3.12+): web app, dashboard, Telegram bridge, action
#               server, CLI and the tests. It starts Rasa with .venv-rasa's python (SEND_NAV_RASA_PYTHON).
SHELL := /bin/bash
# Optional local settings (see .env.example); never committed.
-include .env
export $(shell sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' .env 2>/dev/null)
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA_VENV := .venv-rasa
RASA_PY   := $(RASA_VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
SERVICES_REQ := requirements/services.txt requirements/dev.txt requirements/services.lock
RASA_REQ     := requirements/rasa.txt requirements/rasa-dev.txt requirements/rasa.lock
STAMP      := $(VENV)/.installed-$(shell cat $(SERVICES_REQ) | sha256sum | cut -c1-12)
RASA_STAMP := $(RASA_VENV)/.installed-$(shell cat $(RASA_REQ) | sha256sum | cut -c1-12)
export PYTHONPATH := $(CURDIR)
export SEND_NAV_RASA_PYTHON ?= $(CURDIR)/$(RASA_PY)
export SEND_NAV_TRACKER_URL ?= sqlite:///$(CURDIR)/var/tracker.db
export SEND_NAV_ACTIONS_URL ?= http://$(or $(SEND_NAV_ACTIONS_HOST),127.0.0.1):$(or $(SEND_NAV_ACTIONS_PORT),5055)/webhook
# Rasa and TensorFlow print a lot at start-up; keep the terminal readable.
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa sends usage data to Rasa Inc. unless told not to (training, validation and tests included).
export RASA_TELEMETRY_ENABLED := false

# Tests that import Rasa run in the Rasa environment only (tests/conftest.py skips them elsewhere);
# the core of bot/ that components/ imports is tested under both interpreters.
RASA_TESTS := tests/components
CORE_TESTS := tests/safety tests/knowledge tests/deadlines tests/conversation tests/bot/test_settings.py
UNIT_IGNORE := --ignore=tests/e2e --ignore=tests/browser --ignore=tests/scale --ignore=tests/crash

.PHONY: help install install-rasa install-services lock browser-deps run train test test-unit test-rasa test-e2e \
        validate typecheck lint format test-stories kb-check crash bench report clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# pip install (quiet, progress shown) with one lock file as constraints; $(1) python, $(2) requirements, $(3) lock
define pip_install
	@$(1) -m pip install --progress-bar on -r $(2) -c $(3) 2>&1 | grep -v "is ignored: it is neither" \
	  | grep -E "^(Collecting|Installing|Successfully|ERROR)" || true
endef

# A fresh environment when the interpreter found is not the one the environment was made with.
$(RASA_STAMP): $(RASA_REQ) scripts/find-python.sh
	@py=$$(scripts/find-python.sh rasa) || exit 1; \
	if [ ! -x $(RASA_PY) ] || [ "$$($(RASA_PY) -c 'import sys; print(sys.version_info[:2])')" != "$$($$py -c 'import sys; print(sys.version_info[:2])')" ]; then \
	  echo "Creating the Rasa environment ($(RASA_VENV)) with $$py"; rm -rf $(RASA_VENV); $$py -m venv $(RASA_VENV); fi
	@echo "Installing the Rasa environment (first time: about 3 minutes)..."
	@$(RASA_PY) -m pip install --quiet --upgrade "pip<25"  # not wheel: its newest needs a packaging Rasa forbids
	$(call pip_install,$(RASA_PY),requirements/rasa-dev.txt,requirements/rasa.lock)
	@$(RASA_PY) -c 'import rasa, sqlalchemy, pytest' || { echo "Installing the Rasa environment failed; see the messages above."; exit 1; }
	@rm -f $(RASA_VENV)/.installed-*; touch $@

$(STAMP): $(SERVICES_REQ) scripts/find-python.sh
	@py=$$(scripts/find-python.sh services) || exit 1; \
	if [ ! -x $(PY) ] || [ "$$($(PY) -c 'import sys; print(sys.version_info[:2])')" != "$$($$py -c 'import sys; print(sys.version_info[:2])')" ]; then \
	  echo "Creating the service environment ($(VENV)) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV); fi
	@echo "Installing the service environment (first time: about a minute)..."
	@$(PY) -m pip install --quiet --upgrade pip wheel
	$(call pip_install,$(PY),requirements/dev.txt,requirements/services.lock)
	@$(PY) -c 'import rasa_sdk, sqlalchemy, starlette, telegram, yaml, pytest' || { echo "Installing the service environment failed; see the messages above."; exit 1; }
	@rm -f $(VENV)/.installed-*; touch $@

install-rasa: $(RASA_STAMP) ## Create the Rasa environment (.venv-rasa, Python 3.10) from requirements/rasa.lock

install-services: $(STAMP) ## Create the service environment (.venv, Python 3.12+) from requirements/services.lock

install: install-rasa install-services ## Create both environments

lock: ## Re-resolve both environments to the newest allowed versions and rewrite the lock files
	@scripts/lock.sh

browser-deps: ## Install Debian's Chromium for the browser tests (never downloads a browser)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium from Debian for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
	  else echo "Chromium is missing (sudo apt-get install chromium); browser tests will be skipped."; fi; \
	fi

train: install ## Train the model if config, domain or data changed (Rasa runs in .venv-rasa)
	@$(PY) -m bot train

run: install ## Install, train if needed, and start everything on localhost
	@$(PY) -m bot run

kb-check: install ## Validate the knowledge base
	@$(PY) -m bot kb check

validate: install-rasa ## Check training data and domain (rasa data validate, warnings are errors)
	@$(RASA) data validate --fail-on-warnings --quiet > /dev/null 2> var-validate.log || { cat var-validate.log; rm -f var-validate.log; exit 1; }
	@rm -f var-validate.log; echo "rasa data validate: OK"

typecheck: install-services ## Static type check of bot/ (mypy, settings in pyproject.toml)
	@$(PY) -m mypy

lint: install-services ## Lint (ruff check, settings in pyproject.toml)
	@$(PY) -m ruff check .

format: install-services ## Format the files ruff formats (settings in pyproject.toml)
	@$(PY) -m ruff format

test-unit: install ## Fast tests that start no servers, in both environments
	@$(PY) -m pytest tests -q -m "not e2e" $(UNIT_IGNORE)
	@$(MAKE) --no-print-directory test-rasa

test-rasa: install-rasa ## Tests of components/ and of the bot/ core it imports, on Python 3.10
	@$(RASA_PY) -m pytest $(RASA_TESTS) $(CORE_TESTS) -q

test-e2e: train browser-deps ## End-to-end tests: real servers, browser, PostgreSQL and Redis scale-out
	@$(PY) -m pytest tests/e2e tests/scale -q
	@$(PY) -m pytest tests/browser -q

test-stories: train ## Rasa test stories, failing on any prediction error
	@$(RASA) test core --model $$($(PY) -c 'from bot.ops.training import model_path; from bot.settings import PROJECT_ROOT; print(model_path(PROJECT_ROOT))') \
	  --stories tests/stories --fail-on-prediction-errors --out var/results/stories --quiet > var/results-stories.log 2>&1 \
	  || { tail -40 var/results-stories.log; exit 1; }
	@echo "rasa test stories: OK"

test: install browser-deps validate typecheck lint train ## Run every test (types, lint, unit, end-to-end, browser, Rasa stories; both environments)
	@mkdir -p var
	@$(MAKE) --no-print-directory test-stories
	@$(MAKE) --no-print-directory test-rasa
	@$(PY) -m pytest tests -q --ignore=tests/browser
	@# Playwright's sync API keeps an event loop running for the whole session, so the
	@# browser tests run in their own pytest process, after the asyncio-based ones.
	@$(PY) -m pytest tests/browser -q

crash: train ## Kill each process with SIGKILL mid-work and check nothing is lost (writes bench/results/crash.md)
	@SEND_NAV_CRASH_REPORT=bench/results/crash.md $(PY) -m pytest tests/crash -q

bench: train ## Measure accuracy, latency, memory, training, cold start, then load (single node and scale-out)
	@$(PY) bench/run.py
	@$(PY) bench/load.py
	@$(PY) bench/load.py --scale-out

report: install ## Most frequent unanswered topics (last 30 days)
	@$(PY) -m bot report unanswered

clean: ## Remove both environments, models and local data
	rm -rf $(VENV) $(RASA_VENV) models var
