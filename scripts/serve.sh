#!/usr/bin/env bash
# Prepare the database and static files, then serve the app with gunicorn on 127.0.0.1:8000.
# Called by `make run` once the virtualenv, the front-end assets and translations are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# A secret key generated once and kept in var/ (gitignored), so sessions survive restarts.
mkdir -p var
if [ ! -s var/secret_key ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' \
        >var/secret_key)
fi
export SECRET_KEY DEBUG=false
SECRET_KEY=$(cat var/secret_key)

manage() { scripts/stage.sh "$1" .venv/bin/python manage.py "$@"; }
# collectstatic compresses every file, which is slow: skip it while nothing static changed
# (a static file of ours, or the installed packages, are newer than the last manifest).
manifest=staticfiles/staticfiles.json
if [ ! -f "$manifest" ] || [ -n "$(find .venv/.installed src/dairyhaccp -newer "$manifest" \
    \( -name .installed -o -path '*/static/*' \) -print -quit)" ]; then
    manage collectstatic --noinput --verbosity 0
fi
manage migrate --noinput
manage load_demo   # prints the demo login

# Workers: 2 per CPU plus one (gunicorn's advice), unless WEB_WORKERS says otherwise.
# --preload imports the app and loads the guide once in the master; the workers share it.
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
workers=${WEB_WORKERS:-$((2 * cpus + 1))}
case $workers in
    '' | *[!0-9]* | 0) echo "WEB_WORKERS=$workers is not a positive whole number" >&2; exit 2 ;;
esac
exec .venv/bin/gunicorn dairyhaccp.web.config.wsgi:application \
    --bind 127.0.0.1:8000 --workers "$workers" --preload --access-logfile -
