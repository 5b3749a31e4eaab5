"""Fixtures of the security tests: the console log, and a Django process of its own."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[3]
# Set in the test environment or by the caller of the tests; a subprocess decides for itself.
_INHERITED_SETTINGS = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "DAIRYHACCP_TESTING",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_TLS_PROXY",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
}
# What a production host sets (README, "Running in production"); check --deploy accepts it.
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "DAIRYHACCP_TESTING": "0",
    "SECRET_KEY": "k8Jd0-pq3Zr7vW1xYb5NcA2mT6uL9eS4hG_fQiVoKjXnRwEyPa",
    "ALLOWED_HOSTS": "haccp.hoeve-voorbeeld.be",
    "CSRF_TRUSTED_ORIGINS": "https://haccp.hoeve-voorbeeld.be",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
}


def run_django(
    arguments: list[str], env: dict[str, str], data_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Run `python ARGUMENTS` in the repository with only the given settings variables."""
    base = {key: value for key, value in os.environ.items() if key not in _INHERITED_SETTINGS}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=REPO_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "dairyhaccp.web.config.settings",
            "DAIRYHACCP_DATA_DIR": str(data_dir),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """What the configured console log handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
