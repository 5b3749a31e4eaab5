#!/usr/bin/env bash
# Install the Debian packages that `make run` or `make test` needs, only those missing.
# Usage: scripts/system-deps.sh run|test
set -euo pipefail

missing=()
command -v msgfmt >/dev/null || missing+=(gettext)   # compilemessages
command -v npm >/dev/null || missing+=(npm)          # scripts/assets.sh
# WeasyPrint embeds only the glyphs a PDF uses with it (and warns without it)
compgen -G '/usr/lib/*/libharfbuzz-subset.so.0' >/dev/null || missing+=(libharfbuzz-subset0)
if [ "${1:-run}" = test ]; then
    # scripts/with-postgres.sh runs its own cluster from the server binaries
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql-15)
    [ -x /usr/bin/chromium ] || missing+=(chromium)  # browser tests
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}; install them as root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
