#!/usr/bin/env bash
# Re-resolve both environments to the newest versions their requirements allow, in throw-away
# environments, and rewrite requirements/rasa.lock and requirements/services.lock.
# Review the diff, then `make install` brings .venv and .venv-rasa up to the new locks.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

lock() {  # $1 interpreter, $2 requirements, $3 lock file, $4 pip spec, $5 header line
  "$1" -m venv "$tmp/$3.venv"
  "$tmp/$3.venv/bin/python" -m pip install --quiet --upgrade "$4" wheel
  "$tmp/$3.venv/bin/python" -m pip install --quiet -r "$2"
  { echo "$5"; "$tmp/$3.venv/bin/python" -m pip freeze | grep -v '^-e'; } > "requirements/$3"
  echo "requirements/$3: $(($(wc -l < "requirements/$3") - 1)) packages"
}

lock "$(scripts/find-python.sh rasa)" requirements/rasa-dev.txt rasa.lock "pip<25" \
  "# Exact versions for the Rasa environment (Python 3.10), from \`make lock\`: requirements/rasa-dev.txt resolved."
lock "$(scripts/find-python.sh services)" requirements/dev.txt services.lock pip \
  "# Exact versions for the service environment, from \`make lock\`: requirements/dev.txt resolved."
