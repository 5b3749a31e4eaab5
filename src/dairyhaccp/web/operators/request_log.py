"""Logging of refused requests: one line each, with no traceback."""

from __future__ import annotations

import logging

# Django logs a refused request (403 PermissionDenied, 400 SuspiciousOperation, BadRequest)
# with the exception's traceback; for a refusal that is noise, for a server error it is needed.
_SECURITY_LOGGER = "django.security"
_REQUEST_LOGGERS = ("django.request", "django.server")


def is_refusal(record: logging.LogRecord) -> bool:
    """True for the log record of a request answered with a 4xx status."""
    if record.name == _SECURITY_LOGGER or record.name.startswith(_SECURITY_LOGGER + "."):
        return True
    status = getattr(record, "status_code", None)
    return record.name in _REQUEST_LOGGERS and isinstance(status, int) and 400 <= status < 500


class RefusalsInOneLine(logging.Filter):
    """Drop the traceback from the log record of a refused request; keep every other one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and is_refusal(record):
            record.exc_info = None
            record.exc_text = None
        return True
