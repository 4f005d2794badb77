#!/usr/bin/env bash
# Runs the Playwright suite against the release build on a fresh SQLite database.
#
# With E2E_DATABASE=postgres (inside scripts/with-postgres.sh, which provides
# KINDRED_TEST_POSTGRES_URL) it runs against two instances on one PostgreSQL database
# instead, on PORT and PORT+1, as a fleet behind a load balancer: the specs use the first,
# and those that involve two people may serve one of them from the second (KINDRED_URL_B).
#
#   bash scripts/e2e.sh PORT [playwright arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
target="${CARGO_TARGET_DIR:-target}"
work="$(mktemp -d)"
log="$work/server.log"

cleanup() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "${second_pid:-}" ]; then kill "$second_pid" 2>/dev/null || true; wait "$second_pid" 2>/dev/null || true; fi
  if [ -n "${sink_pid:-}" ]; then kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A real SMTP server on loopback; the mail tests read what arrives from its folder.
smtp_port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mail_in="$work/mail-in"
/usr/bin/python3 scripts/smtp_sink.py --port "$smtp_port" --folder "$mail_in" >"$work/smtp.log" 2>&1 &
sink_pid=$!
for _ in $(seq 1 100); do
  if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 1)" 2>/dev/null; then break; fi
  sleep 0.1
done

database_url="sqlite://$work/kindred.db"
if [ "${E2E_DATABASE:-sqlite}" = postgres ]; then
  database_url="${KINDRED_TEST_POSTGRES_URL:?run under scripts/with-postgres.sh}"
fi

# Starts one instance on port $1 (logging to $2) and waits until it answers.
serve() {
  DATABASE_URL="$database_url" \
  LEPTOS_SITE_ADDR="127.0.0.1:$1" \
  LEPTOS_SITE_ROOT="target/site" \
  KINDRED_DEMO=1 \
  KINDRED_SMTP_URL="smtp://127.0.0.1:$smtp_port" \
  KINDRED_FILES_DIR="$work/files" \
  KINDRED_AUTH_PER_MINUTE=10000 KINDRED_AUTH_PER_HOUR=100000 KINDRED_POST_LIMITS=0 \
    "$target/release/server" >"$2" 2>&1 &
  started=$!
  for _ in $(seq 1 100); do
    if curl -fsS --max-time 2 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$started" 2>/dev/null; then echo "server exited:"; cat "$2"; exit 1; fi
    sleep 0.1
  done
  if ! kill -0 "$started" 2>/dev/null; then echo "server exited:"; cat "$2"; exit 1; fi
}

serve "$port" "$log"
server_pid=$started
if [ "${E2E_DATABASE:-sqlite}" = postgres ]; then
  # The second instance starts once the first has migrated and seeded the database.
  second_port=$((port + 1))
  serve "$second_port" "$work/second.log"
  second_pid=$started
  export KINDRED_URL_B="http://127.0.0.1:$second_port"
fi

cd end2end
# The installed-app spec starts servers of its own (a "deployment", then a new one).
export KINDRED_SERVER_BIN="$(cd .. && realpath "$target/release/server")" KINDRED_SITE_ROOT="$(realpath ../target/site)"
report="$work/playwright.out"
if ! KINDRED_URL="http://127.0.0.1:$port" KINDRED_MAIL_IN="$mail_in" npx playwright test "${@:2}" 2>&1 | tee "$report"; then
  echo "---- server log ----"; tail -n 80 "$log"
  if [ -n "${second_pid:-}" ]; then echo "---- second instance's log ----"; tail -n 40 "$work/second.log"; fi
  # Last, where a short tail of the output still shows it: which tests failed, and why.
  echo "---- failed ----"
  grep -E '^\s+[0-9]+\) |Error:|Expected|Received' "$report" | head -n 40 || true
  exit 1
fi
