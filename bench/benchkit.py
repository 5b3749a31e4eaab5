"""Shared by the benchmarks that need the web app: a worker process per database, started on a
fresh SQLite file and on a throw-away PostgreSQL (scripts/with-postgres.sh), its figures
returned as one JSON line, and the tables printed side by side.

A worker runs with DEBUG off (no query log), the app's test flag on (no collected static files
needed, PDFs made in-process unless asked otherwise) and no profiler or tracer.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULT_PREFIX = "BENCH-RESULT "


def _environment(data_dir: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG")
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "dairyhaccp.web.config.settings",
            "DAIRYHACCP_DATA_DIR": data_dir,
            "DAIRYHACCP_TESTING": "true",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
    )
    return environment


def _result(output: str) -> dict[str, Any] | None:
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            found: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return found
    return None


def run_workers(script: str, arguments: Sequence[str] = ()) -> dict[str, dict[str, Any] | str]:
    """Run `script --worker` on SQLite, then on PostgreSQL; each backend's figures, or the
    reason it could not run."""
    results: dict[str, dict[str, Any] | str] = {}
    with tempfile.TemporaryDirectory(prefix="dairyhaccp-bench-") as data_dir:
        environment = _environment(data_dir)
        command = [PYTHON, script, "--worker", *arguments]
        for backend, prefix in (
            ("sqlite", []),
            ("postgresql", [str(REPO / "scripts/with-postgres.sh")]),
        ):
            print(f"… {backend}: running (this takes minutes)", file=sys.stderr, flush=True)
            done = subprocess.run(
                [*prefix, *command],
                cwd=REPO,
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            found = _result(done.stdout)
            if found is not None and done.returncode == 0:
                results[backend] = found
                continue
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            if backend == "postgresql" and found is None:
                reason = f"PostgreSQL could not be started or used ({reason})"
            results[backend] = f"skipped: {reason}"
    return results


def report(figures: dict[str, Any]) -> None:
    """Hand the worker's figures to the parent process."""
    print(RESULT_PREFIX + json.dumps(figures), flush=True)


def setup_django() -> str:
    """Set Django up in a worker, migrate the fresh database; the database's name and version."""
    from django.core.management import call_command
    from django.db import connection

    # The app as gunicorn loads it: set up, the guide loaded, the startup objects frozen.
    import dairyhaccp.web.config.wsgi  # noqa: F401

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def p95(timings: Sequence[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def median(timings: Sequence[float]) -> float:
    ordered = sorted(timings)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def verdict(ratio: float, target: float, *, at_least: bool = False) -> str:
    met = ratio >= target if at_least else ratio <= target
    return "met" if met else "NOT met"
