"""Production settings: what the README documents is read, and `check --deploy` is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dairyhaccp.web.config.settings import envint

from .conftest import PRODUCTION_ENVIRONMENT, run_django


def test_check_deploy_passes_without_warnings_with_production_settings(tmp_path: Path) -> None:
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION_ENVIRONMENT,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_names_what_the_demo_defaults_leave_open(tmp_path: Path) -> None:
    environment = {"DEBUG": "false", "DAIRYHACCP_TESTING": "0", **_secret()}

    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment, tmp_path
    )

    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):  # HSTS, https, both cookies
        assert f"security.{warning}" in result.stderr


def _secret() -> dict[str, str]:
    return {"SECRET_KEY": PRODUCTION_ENVIRONMENT["SECRET_KEY"]}


_PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps({
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts_seconds": s.SECURE_HSTS_SECONDS,
    "hsts_subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "hsts_preload": s.SECURE_HSTS_PRELOAD,
    "proxy_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "failure_limit": s.AXES_FAILURE_LIMIT,
    "cooloff_seconds": s.AXES_COOLOFF_TIME.total_seconds(),
}))
"""


def test_every_documented_security_variable_is_read(tmp_path: Path) -> None:
    environment = {**PRODUCTION_ENVIRONMENT, "LOGIN_FAILURE_LIMIT": "7"}
    environment["LOGIN_COOLOFF_MINUTES"] = "30"

    result = run_django(["-c", _PRINT_SETTINGS], environment, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ssl_redirect": True,
        "hsts_seconds": 31536000,
        "hsts_subdomains": True,
        "hsts_preload": True,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "session_cookie_secure": True,
        "csrf_cookie_secure": True,
        "failure_limit": 7,
        "cooloff_seconds": 1800.0,
    }


def test_without_the_variables_the_demo_runs_over_plain_http(tmp_path: Path) -> None:
    result = run_django(["-c", _PRINT_SETTINGS], {"DEBUG": "1"}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ssl_redirect": False,
        "hsts_seconds": 0,
        "hsts_subdomains": False,
        "hsts_preload": False,
        "proxy_header": None,
        "session_cookie_secure": False,
        "csrf_cookie_secure": False,
        "failure_limit": 5,
        "cooloff_seconds": 900.0,
    }


_REQUEST_OVER_THE_PROXY = """
import django, json
django.setup()
from django.test import Client
client = Client()
host = "haccp.hoeve-voorbeeld.be"
plain = client.get("/accounts/login/", headers={"host": host})
tls = client.get("/accounts/login/", headers={"host": host, "x-forwarded-proto": "https"})
cookie = tls.cookies["csrftoken"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "tls_status": tls.status_code,
    "hsts": tls.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(cookie["secure"]),
    "csrf_cookie_httponly": bool(cookie["httponly"]),
}))
"""


def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(tmp_path: Path) -> None:
    # Testing mode only spares the collectstatic that whitenoise's manifest would need.
    environment = {**PRODUCTION_ENVIRONMENT, "DAIRYHACCP_TESTING": "1"}

    result = run_django(["-c", _REQUEST_OVER_THE_PROXY], environment, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "plain_status": 301,
        "plain_location": "https://haccp.hoeve-voorbeeld.be/accounts/login/",
        "tls_status": 200,
        "hsts": "max-age=31536000; includeSubDomains; preload",
        "csrf_cookie_secure": True,
        "csrf_cookie_httponly": True,
    }


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", "is not a whole number"),
        ("1e3", "is not a whole number"),
        ("9" * 5000, "is not a whole number"),
        ("0", "is below the minimum of 1"),
        ("-5", "is below the minimum of 1"),
        ("100000", "is above the maximum of 10080"),
    ],
)
def test_a_bad_number_in_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str, problem: str
) -> None:
    monkeypatch.setenv("LOGIN_COOLOFF_MINUTES", raw)

    with pytest.raises(ValueError, match=r"^LOGIN_COOLOFF_MINUTES=") as error:
        envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=10080)

    assert problem in str(error.value)


def test_a_bad_security_variable_stops_the_start_with_its_name(tmp_path: Path) -> None:
    result = run_django(
        ["manage.py", "check"], {**PRODUCTION_ENVIRONMENT, "SECURE_HSTS_SECONDS": "ja"}, tmp_path
    )

    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS='ja' is not a whole number" in result.stderr
