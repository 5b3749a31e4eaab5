#!/usr/bin/env bash
# Install the front-end packages pinned in package-lock.json and copy the files the
# templates use into the Django static folder (that copy is gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."

vendor=src/dairyhaccp/web/static/vendor
npm install --no-audit --no-fund
mkdir -p "$vendor"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx.min.js"
echo "copied htmx $(node -p 'require("htmx.org/package.json").version') to $vendor"
