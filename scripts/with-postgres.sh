#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster (scripts/postgres.sh) whose URL is in
# KINDRED_TEST_POSTGRES_URL, and stops the cluster afterwards, whatever the command did.
#
#   bash scripts/with-postgres.sh cargo nextest run …
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eval "$(bash "$here/postgres.sh" start)"
trap 'bash "$here/postgres.sh" stop "$KINDRED_TEST_POSTGRES_DIR"' EXIT
echo "==> PostgreSQL for the tests at $KINDRED_TEST_POSTGRES_URL" >&2
"$@"
