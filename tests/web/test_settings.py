"""Settings read from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dairyhaccp.web.config.settings import envbool, envint, envlist, envstr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("no", False)],
)
def test_envbool_reads_yes_and_no(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("DAIRYHACCP_FLAG", raw)

    assert envbool("DAIRYHACCP_FLAG", not expected) is expected


def test_envbool_refuses_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAIRYHACCP_FLAG", "ture")

    with pytest.raises(ValueError, match="DAIRYHACCP_FLAG"):
        envbool("DAIRYHACCP_FLAG", False)


def test_unset_variables_give_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAIRYHACCP_UNSET", raising=False)

    assert envbool("DAIRYHACCP_UNSET", True) is True
    assert envint("DAIRYHACCP_UNSET", 7) == 7
    assert envstr("DAIRYHACCP_UNSET", "x") == "x"
    assert envlist("DAIRYHACCP_UNSET", "a, b,") == ["a", "b"]


def run_with_settings(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with Django set up from the given environment."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DAIRYHACCP_TESTING"}
    }
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_SETTINGS_MODULE": "dairyhaccp.web.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_database_url_sqlite_in_the_data_dir_uses_wal(tmp_path: Path) -> None:
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode')\n"
        "    print(cursor.fetchone()[0], connection.settings_dict['NAME'])\n"
    )

    result = run_with_settings(code, {"DAIRYHACCP_DATA_DIR": str(tmp_path), "DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", str(tmp_path / "db.sqlite3")]


def test_production_without_secret_key_refuses_to_run(tmp_path: Path) -> None:
    code = "from django.conf import settings\nprint(settings.SECRET_KEY)\n"

    result = run_with_settings(
        code, {"DAIRYHACCP_DATA_DIR": str(tmp_path), "DAIRYHACCP_TESTING": "0"}
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_serves_hashed_static_files_through_whitenoise(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings\n"
        "print(settings.STORAGES['staticfiles']['BACKEND'])\n"
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE)\n"
    )

    result = run_with_settings(
        code,
        {"DAIRYHACCP_DATA_DIR": str(tmp_path), "DAIRYHACCP_TESTING": "0", "SECRET_KEY": "s"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]


def test_tests_need_no_collectstatic() -> None:
    from django.conf import settings

    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
