#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: never the system service.
#
#   eval "$(bash scripts/postgres.sh start)"   # prints `export KINDRED_TEST_POSTGRES_URL=…`
#   bash scripts/postgres.sh start --durable   # the same, with fsync on (the benchmark)
#   bash scripts/postgres.sh stop DIR          # DIR is $KINDRED_TEST_POSTGRES_DIR
#
# `start` installs Debian's postgresql if `initdb` is missing, creates a cluster in a new
# temporary directory owned by the `postgres` user (trust authentication, listening only
# on a Unix socket inside that directory and on a free loopback port), starts it, creates
# the database `kindred_test`, and prints the two variables to export. `stop` stops it and
# removes the directory. Idempotent installs; nothing outside the temporary directory.
set -euo pipefail

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        echo "==> installing PostgreSQL (Debian's postgresql package)" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    echo "$dir"
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
start)
    # Tests do not need their data to survive a power cut; the benchmark measures real commits.
    durability="-c fsync=off"
    if [ "${2:-}" = --durable ]; then durability=""; fi
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/kindred-pg-XXXXXX)
    chown postgres: "$dir" 2>/dev/null || true
    port=$(free_port)
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" start >/dev/null
    as_postgres "$bin/createdb" -h "$dir" -p "$port" -U postgres kindred_test
    echo "export KINDRED_TEST_POSTGRES_DIR=$dir"
    echo "export KINDRED_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/kindred_test"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(pg_bin)
    if [ -d "$dir/data" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
