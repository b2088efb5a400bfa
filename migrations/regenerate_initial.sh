#!/usr/bin/env bash
# Regenerate versions/0001_initial.py from the current models, against an empty SQLite database.
# Only while 0001 is the sole migration and no deployed database must keep its data: after the
# first deploy, add new revisions with `flask --app wsgi db migrate -m "..."` instead.
set -euo pipefail
cd "$(dirname "$0")/.."

venv_bin=.venv/bin
if [[ ! -x "$venv_bin/flask" ]]; then
    echo "No $venv_bin/flask: run ./test.sh (or ./run.sh) once to install." >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rm -f migrations/versions/0001_initial.py
# A throwaway key: the app refuses to start without one, and this run serves nothing.
DATABASE_URL="sqlite:///$tmp/empty.sqlite" SECRET_KEY=regenerate-initial-migration-only \
    "$venv_bin/flask" --app wsgi db migrate --rev-id 0001 -m initial
"$venv_bin/ruff" format migrations/versions/0001_initial.py
echo "Wrote migrations/versions/0001_initial.py; read it, then run ./test.sh."
