#!/usr/bin/env bash
# Print the path of the interpreter for one of the two environments, or explain what to install.
#   scripts/find-python.sh rasa       Python 3.10: Rasa Open Source 3.6 supports 3.8-3.10 only.
#   scripts/find-python.sh services   the newest of SERVICE_PYTHONS found: every service dependency
#                                     supports it (3.12 or later; 3.10 is past its end of life).
# PYTHON310=/path or SERVICES_PYTHON=/path choose one explicitly.
set -euo pipefail

SERVICE_PYTHONS="3.13 3.12"   # newest first; add a version once every pinned dependency supports it

usage() { echo "usage: $0 rasa|services" >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in
  rasa) versions="3.10"; override="${PYTHON310:-}" ;;
  services) versions="$SERVICE_PYTHONS"; override="${SERVICES_PYTHON:-}" ;;
  *) usage ;;
esac

is_version() { "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$2' else 1)" 2>/dev/null; }

root=""
command -v pyenv >/dev/null 2>&1 && root=$(pyenv root)
for v in $versions; do
  candidates=()
  [ -n "$override" ] && candidates+=("$override")
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
  for p in ${root:+"$root"/versions/$v.*/bin/python$v} "$HOME"/.pyenv/versions/$v.*/bin/python$v \
           /usr/local/bin/python$v /usr/bin/python$v; do
    [ -x "$p" ] && candidates+=("$p")
  done
  for c in "${candidates[@]+"${candidates[@]}"}"; do
    if is_version "$c" "$v"; then echo "$c"; exit 0; fi
  done
done

if [ "$1" = rasa ]; then
  cat >&2 <<'MSG'
SEND Navigator's Rasa server needs Python 3.10 (Rasa Open Source 3.6 does not run on newer
versions), and none was found: not on PATH as python3.10, not in pyenv, not in /usr/bin or /usr/local/bin.

Install one of these, then run the command again:
  - with pyenv:   pyenv install 3.10
  - on Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  - or point to one:   PYTHON310=/path/to/python3.10 make run
MSG
else
  cat >&2 <<MSG
SEND Navigator's services (web app, dashboard, Telegram bridge, action server) need Python
$(echo "$SERVICE_PYTHONS" | sed 's/ / or /g'), and none was found: not on PATH, not in pyenv,
not in /usr/bin or /usr/local/bin.

Install one of these, then run the command again:
  - with pyenv:   pyenv install ${SERVICE_PYTHONS%% *}
  - on Debian/Ubuntu:  sudo apt-get install python${SERVICE_PYTHONS%% *} python${SERVICE_PYTHONS%% *}-venv
  - or point to one:   SERVICES_PYTHON=/path/to/python${SERVICE_PYTHONS%% *} make run
MSG
fi
exit 1
