#!/usr/bin/env bash
# Install what is missing, migrate the database, add demo data to an empty one, and serve the app
# on http://127.0.0.1:5000 (gunicorn, 2 workers), with the job queue's worker and a local
# catch-all mail server beside it. Ctrl-C stops them all.
# DATABASE_URL picks the database (default: SQLite in instance/enforcement.sqlite).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# shellcheck source=scripts/install.sh
source scripts/install.sh
install_everything

mkdir -p instance
# Stop what this script started in the background (mail server, worker) when it ends.
background=()
trap 'kill "${background[@]}" 2>/dev/null || true' EXIT
# A key kept in instance/<file> (made once, mode 600) unless the environment sets it: one per
# checkout, kept across runs so sessions survive a restart and audit seals stay checkable.
key_from_instance() {
    local name=$1 file=instance/$2
    [[ -n "${!name:-}" ]] && return 0
    if [[ ! -s $file ]]; then
        (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' >"$file")
    fi
    chmod 600 "$file"
    export "$name=$(<"$file")"
}
key_from_instance SECRET_KEY secret_key
key_from_instance AUDIT_KEY audit_key
# The demo's mail goes to a local catch-all server (nothing leaves the machine), which keeps each
# message as an .eml file under instance/mail. Set SMTP_HOST to a real mail server to send for real.
if [[ -z "${SMTP_HOST:-}" ]]; then
    export SMTP_HOST=127.0.0.1 SMTP_PORT=${CATCHALL_PORT:-8025} SMTP_STARTTLS=false
    export CATCHALL_MAIL_DIR=${CATCHALL_MAIL_DIR:-instance/mail}
    .venv/bin/python -m enforcement.dispatch.catchall --port "$SMTP_PORT" \
        --dir "$CATCHALL_MAIL_DIR" &
    background+=($!)
fi
# Served over plain http on the loopback address: a browser would not send a Secure cookie back,
# so sign-in would never stick. Behind TLS in production, leave this unset (it defaults to true).
export SESSION_COOKIE_SECURE=false

.venv/bin/flask --app wsgi db upgrade

# Ask the database itself (through the app's config) whether anyone can sign in yet.
users=$(.venv/bin/python -c '
import sqlalchemy as sa
from config import Config
engine = sa.create_engine(Config.SQLALCHEMY_DATABASE_URI)
with engine.connect() as connection:
    print(connection.execute(sa.text("SELECT count(*) FROM users")).scalar_one())
engine.dispose()
')
if ((users == 0)); then
    .venv/bin/flask --app wsgi seed-demo
fi

# The job queue's worker: it sends the outbox (SQLite queue by default, Redis with REDIS_URL).
.venv/bin/huey_consumer enforcement.jobs.huey --workers 2 --quiet &
background+=($!)

echo "Serving on http://127.0.0.1:5000"
.venv/bin/gunicorn -w 2 -b 127.0.0.1:5000 wsgi:app
