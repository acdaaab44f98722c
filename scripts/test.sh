#!/usr/bin/env bash
# The whole suite: quality gates, then every test on SQLite, then again on PostgreSQL.
# PostgreSQL comes from DATABASE_URL when set, else from a throw-away cluster (pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
export PATH="$PWD/$BIN:$PATH"
export DJANGO_SETTINGS_MODULE=entraide.config.test_settings

bash scripts/system-deps.sh

step() { printf '\n== %s\n' "$*"; }

step "ruff"
ruff format --check .
ruff check .
step "mypy"
mypy entraide benchmarks
step "import-linter"
lint-imports
step "migrations are up to date"
entraide makemigrations --check --dry-run
step "translations compile"
(cd entraide && entraide compilemessages -v 0)

if [ "${1:-}" = "--lint-only" ]; then exit 0; fi

step "tests on SQLite (including browser tests)"
# shellcheck disable=SC2086 # PYTEST_ARGS is a list of words on purpose
pytest -q ${PYTEST_ARGS:-}

step "tests on PostgreSQL"
if [ -n "${POSTGRES_DATABASE_URL:-}" ]; then
  DATABASE_URL="$POSTGRES_DATABASE_URL" pytest -q -m "not browser" ${PYTEST_ARGS:-}
else
  pg_virtualenv -o "fsync=off" sh -c \
    'DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:${PGPORT:-5432}/postgres" pytest -q -m "not browser"'
fi
