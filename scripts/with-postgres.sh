#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster, removed afterwards even if it fails.
# Usage: scripts/with-postgres.sh CMD [ARG...]
# CMD sees DATABASE_URL=postgres://postgres@127.0.0.1:PORT/dairyhaccp (trust auth, loopback only).
set -euo pipefail

pg_bin=${PG_BIN:-$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/dairyhaccp-pg.XXXXXX")
data=$dir/data

# PostgreSQL refuses to run as root: as root, run the server as the `postgres` user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"

cleanup() {
    local status=$?
    as_server_user "$pg_bin/pg_ctl" -D "$data" -s -m fast stop 2>/dev/null || true
    rm -rf "$dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port on loopback, picked by the kernel.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_server_user "$pg_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" || { cat "$dir/initdb.log" >&2; exit 1; }
# Durability is pointless for a throw-away cluster: switch it off for speed.
server_options="-c listen_addresses=127.0.0.1 -p $port -k $dir \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
as_server_user "$pg_bin/pg_ctl" -D "$data" -l "$dir/server.log" -o "$server_options" -s -w start \
    || { cat "$dir/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres dairyhaccp

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/dairyhaccp"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
