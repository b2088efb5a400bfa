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
if [[ -z "${SECRET_KEY:-}" ]]; then
    # One key per checkout, kept across runs so sessions survive a restart.
    if [[ ! -s instance/secret_key ]]; then
        (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' \
            >instance/secret_key)
    fi
    chmod 600 instance/secret_key
    SECRET_KEY=$(<instance/secret_key)
    export SECRET_KEY
fi
# The demo's mail goes to a local catch-all server (nothing leaves the machine); admins read it on
# the outbox page. Set SMTP_HOST to a real mail server to send for real.
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
