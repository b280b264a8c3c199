#!/usr/bin/env bash
# Schemathesis against the live OpenAPI schema: the app runs under gunicorn (DEBUG off) on a fresh
# SQLite database with the demo data; the API is fuzzed anonymously, then as the demo coordinator
# with a token (writes included). Any server error, or a response that does not match the schema,
# fails the run.
#   SCHEMATHESIS_PORT (default 8765), SCHEMATHESIS_EXAMPLES (test cases per operation, default 30),
#   SCHEMATHESIS_SEED (default 1: the same cases on every run), SCHEMATHESIS_REPORT (a directory for
#   JUnit reports; none by default), SCHEMATHESIS_DATABASE_URL (an empty database to use instead of
#   the SQLite file, e.g. PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."

root=$(pwd)
port=${SCHEMATHESIS_PORT:-8765}
base="http://127.0.0.1:$port"
work=$(mktemp -d)

export DATABASE_URL=${SCHEMATHESIS_DATABASE_URL:-"sqlite:///$work/schemathesis.sqlite3"}
export DEBUG=off SECURE_SSL_REDIRECT=off SECURE_COOKIES=off ALLOWED_HOSTS=127.0.0.1 PUBLIC_READ=on
export SECRET_KEY
SECRET_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")
export DEMO_PASSWORD
DEMO_PASSWORD=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(16))")
# The fuzzer sends thousands of requests and random sign-ins: no rate limits for this run.
export API_THROTTLE_ANON=off API_THROTTLE_USER=off API_THROTTLE_SIGN_IN=off LOGIN_FAILURE_LIMIT=1000000

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null

# No cap on the request line: the fuzzer's very long query strings must reach the app (in production
# the proxy in front sets that limit).
.venv/bin/gunicorn cvetracker.wsgi --bind "127.0.0.1:$port" --workers 2 --threads 4 --limit-request-line 0 \
  --error-logfile "$work/server.log" --capture-output >/dev/null 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "$base/api/schema/" 2>/dev/null && break; sleep 0.2; done

token=$(curl -fsS -X POST "$base/api/auth/token/" -H "Content-Type: application/json" \
  -d "{\"username\": \"coordinator\", \"password\": \"$DEMO_PASSWORD\"}" |
  .venv/bin/python -c "import json, sys; print(json.load(sys.stdin)['token'])")

fuzz() {
  local name=$1
  shift
  echo "== schemathesis: $name"
  local report=()
  if [ -n "${SCHEMATHESIS_REPORT:-}" ]; then
    report=(--report junit --report-junit-path "$(realpath "$SCHEMATHESIS_REPORT")/schemathesis-$name.xml")
  fi
  # Run from the scratch directory, where schemathesis keeps its cache.
  if ! (cd "$work" && "$root/.venv/bin/schemathesis" run "$base/api/schema/" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-30}" --seed "${SCHEMATHESIS_SEED:-1}" \
    --generation-database none --no-color "${report[@]}" "$@"); then
    echo "== server log (last 60 lines)"
    tail -n 60 "$work/server.log"
    return 1
  fi
}

fuzz anonymous
fuzz coordinator --header "Authorization: Token $token"
