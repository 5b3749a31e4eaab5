#!/usr/bin/env bash
# Run one named stage of a make target and print how long it took.
# Usage: scripts/stage.sh NAME CMD [ARG...]   (exits with CMD's status)
set -uo pipefail
name=$1
shift
echo "==> $name"
SECONDS=0
"$@"
status=$?
if [ "$status" -eq 0 ]; then
    echo "<== $name: ${SECONDS}s"
else
    echo "<== $name: ${SECONDS}s, FAILED (exit code $status)"
fi
exit "$status"
