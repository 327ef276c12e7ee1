#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema with schemathesis (every check, a fixed seed), as an
# anonymous client and with one token per role, on gunicorn with PostgreSQL and the demo data.
# Fails on any server error or schema violation. Called by .ci/run; docs/api.md says more.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
PORT=${API_FUZZ_PORT:-8765}
DB=kizuna_api_fuzz_$PORT
EXAMPLES=${API_FUZZ_EXAMPLES:-6}
SEED=${API_FUZZ_SEED:-20261204}
BASE=http://127.0.0.1:$PORT

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DEBUG=false SECRET_KEY=api-fuzz-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
# Tasks go to a Redis database no worker reads, then are dropped: the fuzz tests the API, not the
# workers (in-process, every fuzzed profile edit would recompute matches inside the request).
export CELERY_BROKER_URL=redis://127.0.0.1:6379/14
export LOGIN_THROTTLE_ATTEMPTS=1000 LOGIN_THROTTLE_IP_ATTEMPTS=100000

mkdir -p var
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py seed_demo --allow-without-debug >/dev/null  # a private, throw-away server
$BIN/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers 2 --timeout 120 --log-level warning \
  --error-logfile var/api-fuzz-server.log &
SERVER=$!
cleanup() {
  kill $SERVER 2>/dev/null && wait $SERVER 2>/dev/null || true
  redis-cli -n 14 flushdb >/dev/null 2>&1 || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres || true
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "$BASE/api/schema/" >/dev/null && break; sleep 0.2; done

token() {
  curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"kizuna-demo-2026\"}" "$BASE/api/v1/auth/token/" |
    $BIN/python -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

fuzz() {  # $1: who, then extra schemathesis options
  local who=$1; shift
  echo "== schemathesis as $who"
  # Revoking tokens is left out: a fuzzed id would revoke the token the run itself uses.
  $BIN/schemathesis --config-file .ci/schemathesis.toml run "$BASE/api/schema/" --checks all \
    --seed "$SEED" --max-examples "$EXAMPLES" --phases examples,fuzzing --workers 2 \
    --exclude-path-regex 'auth/tokens/\{id\}' --no-color "$@"
}

failed=0
fuzz anonymous || failed=1
fuzz member -H "Authorization: Token $(token member@demo.kizuna)" || failed=1
fuzz organiser -H "Authorization: Token $(token organiser@demo.kizuna)" || failed=1
fuzz admin -H "Authorization: Token $(token admin@demo.kizuna)" || failed=1
exit $failed
