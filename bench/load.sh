#!/usr/bin/env bash
# Load test on loopback: serve the demo dairy with gunicorn and let locust's users work in it
# (bench/load_locust.py), on SQLite, PostgreSQL or both; print requests, failures, p50/p95/p99.
# Usage: bench/load.sh [sqlite|postgres|both]      (default both; `make load`)
# Settings (environment): LOAD_USERS (50), LOAD_DURATION (3m), LOAD_SPAWN_RATE (10 users/s),
# LOAD_WORKERS (gunicorn workers; default 2 x CPUs + 1). Each run uses a database of its own,
# made and thrown away here: var/ is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-both}
users=${LOAD_USERS:-50}
duration=${LOAD_DURATION:-3m}
spawn_rate=${LOAD_SPAWN_RATE:-10}
workers=${LOAD_WORKERS:-$((2 * $(nproc) + 1))}
bin=.venv/bin

export DEBUG=false
SECRET_KEY=$($bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY ALLOWED_HOSTS=127.0.0.1

collect_static() {
    # As scripts/serve.sh: only when a static file or the installed packages changed.
    local manifest=staticfiles/staticfiles.json
    if [ ! -f "$manifest" ] || [ -n "$(find .venv/.installed src/dairyhaccp -newer "$manifest" \
        \( -name .installed -o -path '*/static/*' \) -print -quit 2>/dev/null)" ]; then
        $bin/python manage.py collectstatic --noinput --verbosity 0
    fi
}

free_port() {
    $bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_until_up() {
    local url=$1 pid=$2
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || return 1
        if $bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

server=""
dir=""
cleanup() {
    local status=$?
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    [ -z "$dir" ] || rm -rf "$dir"
    exit "$status"
}
trap cleanup EXIT

# One run against the database of the environment (DATABASE_URL, or SQLite in a new folder).
run_one() {
    local label=$1 port
    dir=$(mktemp -d "${TMPDIR:-/tmp}/dairyhaccp-load.XXXXXX")
    export DAIRYHACCP_DATA_DIR=$dir

    $bin/python manage.py migrate --noinput --verbosity 0
    $bin/python manage.py load_demo >/dev/null
    LOAD_API_TOKEN=$($bin/python manage.py issue_api_token demo hoeve-voorbeeld)
    export LOAD_API_TOKEN LOAD_OPERATOR=hoeve-voorbeeld LOAD_USERNAME=demo
    export LOAD_PASSWORD=${DAIRYHACCP_DEMO_PASSWORD:-zuivel-demo} LOAD_LABEL=$label

    port=$(free_port)
    $bin/gunicorn dairyhaccp.web.config.wsgi:application --bind "127.0.0.1:$port" \
        --workers "$workers" --access-logfile /dev/null >"$dir/gunicorn.log" 2>&1 &
    server=$!
    if ! wait_until_up "http://127.0.0.1:$port/accounts/login/" "$server"; then
        echo "the server did not start:" >&2
        cat "$dir/gunicorn.log" >&2
        return 1
    fi
    echo "== $label: $users users for $duration, gunicorn with $workers workers on $(nproc) CPUs"
    # locust exits 1 when a request failed; the figures are printed either way.
    $bin/locust -f bench/load_locust.py --headless --users "$users" \
        --spawn-rate "$spawn_rate" --run-time "$duration" --host "http://127.0.0.1:$port" \
        --only-summary --loglevel WARNING --exit-code-on-error 1
}

case $which in
    sqlite)
        collect_static
        unset DATABASE_URL
        run_one SQLite
        ;;
    postgres)
        collect_static
        if [ -z "${DATABASE_URL:-}" ]; then
            exec scripts/with-postgres.sh "$0" postgres
        fi
        run_one PostgreSQL
        ;;
    both)
        status=0
        "$0" sqlite || status=$?
        "$0" postgres || status=$?
        exit "$status"
        ;;
    *)
        echo "usage: bench/load.sh [sqlite|postgres|both]" >&2
        exit 2
        ;;
esac
