# SEND Navigator. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
# Optional local settings (see .env.example); never committed.
-include .env
export $(shell sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' .env 2>/dev/null)
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
RASA     := $(VENV)/bin/rasa
STAMP    := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt | sha256sum | cut -c1-12)
export PYTHONPATH := $(CURDIR)
export SEND_NAV_TRACKER_URL ?= sqlite:///$(CURDIR)/var/tracker.db
export SEND_NAV_ACTIONS_URL ?= http://$(or $(SEND_NAV_ACTIONS_HOST),127.0.0.1):$(or $(SEND_NAV_ACTIONS_PORT),5055)/webhook
# Rasa and TensorFlow print a lot at start-up; keep the terminal readable.
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa sends usage data to Rasa Inc. unless told not to (training, validation and tests included).
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install browser-deps run train test test-unit test-e2e validate typecheck test-stories kb-check crash bench report clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.txt constraints.txt scripts/find-python310.sh
	@py=$$(scripts/find-python310.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  echo "Creating the environment with $$py"; rm -rf $(VENV); $$py -m venv $(VENV); fi
	@echo "Installing dependencies (first time: about 3 minutes)..."
	@$(PY) -m pip install --quiet --upgrade "pip<25" wheel
	@$(PY) -m pip install --progress-bar on -r requirements.txt -c constraints.txt 2>&1 | grep -v "is ignored: it is neither" | grep -E "^(Collecting|Installing|Successfully|ERROR)" || true
	@$(PY) -c 'import rasa, rasa_sdk, sqlalchemy, yaml, pytest' || { echo "Install failed; see the messages above."; exit 1; }
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) ## Create the Python 3.10 environment and install pinned dependencies

browser-deps: ## Install Debian's Chromium for the browser tests (never downloads a browser)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium from Debian for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
	  else echo "Chromium is missing (sudo apt-get install chromium); browser tests will be skipped."; fi; \
	fi

train: install ## Train the model if config, domain or data changed
	@$(PY) -m bot train

run: install ## Install, train if needed, and start everything on localhost
	@$(PY) -m bot run

kb-check: install ## Validate the knowledge base
	@$(PY) -m bot kb check

validate: install ## Check training data and domain (rasa data validate, warnings are errors)
	@$(RASA) data validate --fail-on-warnings --quiet > /dev/null 2> var-validate.log || { cat var-validate.log; rm -f var-validate.log; exit 1; }
	@rm -f var-validate.log; echo "rasa data validate: OK"

typecheck: install ## Static type check of bot/ (mypy, settings in mypy.ini)
	@$(PY) -m mypy

test-unit: install ## Fast tests that start no servers
	@$(PY) -m pytest tests -q -m "not e2e" --ignore=tests/e2e --ignore=tests/browser --ignore=tests/scale

test-e2e: train browser-deps ## End-to-end tests: real servers, browser, PostgreSQL and Redis scale-out
	@$(PY) -m pytest tests/e2e tests/scale -q
	@$(PY) -m pytest tests/browser -q

test-stories: train ## Rasa test stories, failing on any prediction error
	@$(RASA) test core --model $$($(PY) -c 'from bot.ops.training import model_path; from bot.settings import PROJECT_ROOT; print(model_path(PROJECT_ROOT))') \
	  --stories tests/stories --fail-on-prediction-errors --out var/results/stories --quiet > var/results-stories.log 2>&1 \
	  || { tail -40 var/results-stories.log; exit 1; }
	@echo "rasa test stories: OK"

test: install browser-deps validate typecheck train ## Run every test (types, unit, end-to-end, browser, Rasa stories)
	@mkdir -p var
	@$(MAKE) --no-print-directory test-stories
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

clean: ## Remove the environment, models and local data
	rm -rf $(VENV) models var
