#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter, or explain what to install.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for p in "$root"/versions/3.10.*/bin/python3.10; do [ -x "$p" ] && candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done

for c in "${candidates[@]+"${candidates[@]}"}"; do
  if is_310 "$c"; then echo "$c"; exit 0; fi
done

cat >&2 <<'MSG'
SEND Navigator needs Python 3.10 (Rasa Open Source 3.6 does not run on newer versions),
and none was found: not on PATH as python3.10, not in pyenv, not in /usr/bin or /usr/local/bin.

Install one of these, then run the command again:
  - with pyenv:   pyenv install 3.10
  - on Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  - or point to one:   PYTHON310=/path/to/python3.10 make run
MSG
exit 1
