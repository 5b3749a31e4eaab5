"""Django settings, read from the environment.

Every value that differs between a laptop, the test run and a production host comes from an
environment variable read through the small typed helpers below.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = WEB_DIR.parents[2]

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def envstr(name: str, default: str) -> str:
    """Return the environment variable `name`, or `default` when it is unset."""
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Return the environment variable `name` read as a yes/no flag."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r} is not a yes/no value")


def envint(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return the environment variable `name` read as an integer within the given bounds."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}={raw!r} is below the minimum of {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={raw!r} is above the maximum of {maximum}")
    return value


def envlist(name: str, default: str) -> list[str]:
    """Return the comma-separated environment variable `name` as a list of non-empty items."""
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# Tests run without collectstatic and with a development secret.
TESTING = envbool("DAIRYHACCP_TESTING", "pytest" in sys.modules)
# Each query kept compiled (web/compiled.py) built again on every use and compared: for tests.
CHECK_KEPT_QUERIES = envbool("DAIRYHACCP_CHECK_KEPT_QUERIES", "pytest" in sys.modules)

DATA_DIR = Path(envstr("DAIRYHACCP_DATA_DIR", str(REPO_DIR / "var")))

# An empty SECRET_KEY makes Django refuse to sign anything, so production must set it.
_DEVELOPMENT_SECRET_KEY = "dairyhaccp-development-only-not-secret"
SECRET_KEY = envstr("SECRET_KEY", _DEVELOPMENT_SECRET_KEY if DEBUG or TESTING else "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Transport security. Every flag is off by default so the demo works over plain http on
# 127.0.0.1; a production host behind TLS turns them on (see the README, "Running in production").
SESSION_ENGINE = "dairyhaccp.web.operators.sessions"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# One reverse proxy in front (nginx, Caddy) terminates TLS, sets X-Forwarded-Proto and appends
# the client's address to X-Forwarded-For. Never turn this on without such a proxy: a client
# could then claim https, or any address, itself.
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Pages and the htmx requests read the CSRF token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: every script, style, image and connection from this site only.
# Pages have no inline script, style or event handler; htmx is told so in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The API docs' stylesheet draws its icons as data: images.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for LOGIN_COOLOFF_MINUTES (each new try restarts the wait).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
_ONE_WEEK_IN_MINUTES = 7 * 24 * 60
AXES_COOLOFF_TIME = timedelta(
    minutes=envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=_ONE_WEEK_IN_MINUTES)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dairyhaccp.web.operators.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dairyhaccp.web.operators.lockout.client_address"
# Log the username and address of a failure, no user agent; no banner at every start.
AXES_VERBOSE = False

# Two-factor login (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "dairyhaccp"

SERVE_STATIC_WITH_WHITENOISE = not (DEBUG or TESTING)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "dairyhaccp.web.operators",
    "dairyhaccp.web.evidence",
    "dairyhaccp.web.plans",
    "dairyhaccp.web.records",
    "dairyhaccp.web.lab",
    "dairyhaccp.web.lots",
    "dairyhaccp.web.labels",
    "dairyhaccp.web.farm",
    "dairyhaccp.web.loggers",
    "dairyhaccp.web.dossier",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if SERVE_STATIC_WITH_WHITENOISE else []),
    "dairyhaccp.web.operators.methods.AllowedMethodsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dairyhaccp.web.operators.middleware.OutOfRangeMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in user read by a query compiled once.
    "dairyhaccp.web.operators.backends.ModelBackend",
]

ROOT_URLCONF = "dairyhaccp.web.config.urls"
WSGI_APPLICATION = "dairyhaccp.web.config.wsgi.application"

# Inputs and selects written in Python, as Django's widget templates write them.
FORM_RENDERER = "dairyhaccp.web.widget_html.PythonWidgetRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dairyhaccp.web.operators.context_processors.current_operator",
            ],
            "libraries": {"dairyhaccp": "dairyhaccp.web.templatetags"},
            # Django's {% url %}, with the addresses it reverses remembered per process, and
            # its |date, with each format worked out once per language.
            "builtins": ["dairyhaccp.web.url_tag", "dairyhaccp.web.date_filter"],
        },
    },
]

# SQLite: WAL lets readers work while a writer writes; IMMEDIATE takes the write lock at the
# start of a transaction instead of failing halfway with "database is locked".
_SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL;",
    "transaction_mode": "IMMEDIATE",
}
_DATABASE_URL = envstr("DATABASE_URL", "")
if _DATABASE_URL:
    _database: dict[str, Any] = dict(
        dj_database_url.parse(_DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))
    )
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "db.sqlite3"}
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["OPTIONS"] = {**_SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Deliberately weak and fast: test users need no protection, tests need speed.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(REPO_DIR / "staticfiles")))
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SERVE_STATIC_WITH_WHITENOISE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail goes to the console (the terminal of `make run`) unless a host sets an SMTP server:
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_* values below.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "dairyhaccp@localhost")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30, minimum=1, maximum=600)

# Accounts: how long the link of a sign-up, an invitation and a password reset stays valid.
SIGNUP_LINK_VALID_HOURS = envint("SIGNUP_LINK_VALID_HOURS", 48, minimum=1, maximum=24 * 30)
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 7, minimum=1, maximum=90)
PASSWORD_RESET_TIMEOUT = 60 * 60 * envint("PASSWORD_RESET_HOURS", 24, minimum=1, maximum=24 * 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A refused request (400, 403, 404, 405, ...) is one line, not a traceback.
        "refusals_in_one_line": {"()": "dairyhaccp.web.operators.request_log.RefusalsInOneLine"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
