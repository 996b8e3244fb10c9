#!/usr/bin/env bash
# Install everything the test suite needs, then run it: lint, types, and every test on
# SQLite and PostgreSQL, in headless Chromium, and against the JavaScript reference
# verifier. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

log "Python environment"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

log "Chromium for browser tests"
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

log "JavaScript reference verifier"
if [ -f tests/interop/js/package.json ] && command -v npm >/dev/null; then
  (cd tests/interop/js && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
fi

log "PostgreSQL"
pg_url="${CREDSTACK_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if ! .venv/bin/python - "$pg_url" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("+psycopg", ""), connect_timeout=3).close()
PY
then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start || true
    sleep 2
  fi
fi

log "ruff"
.venv/bin/ruff check src tests bench scripts
log "mypy --strict"
.venv/bin/mypy src
log "pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
