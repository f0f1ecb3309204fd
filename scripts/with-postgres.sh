#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster (started here, removed after).
# Exports POSTGRES_URL (and POSTGRES_SCRATCH_URL) for the command.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server not found: apt-get install -y postgresql" >&2; exit 1; }
dir=$(mktemp -d /tmp/policy-guard-pg.XXXXXX)
port=${PG_PORT:-$((20000 + RANDOM % 20000))}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() { as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres policy_guard
export POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/policy_guard"
export POSTGRES_SCRATCH_URL="$POSTGRES_URL"
"$@"
