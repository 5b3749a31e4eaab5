"""Login throttling (django-axes): the address a login comes from, and the lockout page."""

from __future__ import annotations

import ipaddress
import math
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address of the client: the one our TLS proxy saw, where there is one."""
    if settings.BEHIND_TLS_PROXY:
        # The proxy appends the address it saw; anything before it the client may have made up.
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if _is_address(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR")
    return remote if isinstance(remote, str) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the login form while a username and address are locked."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": math.ceil(seconds / 60),
    }
    response = render(
        request, "registration/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(seconds)
    return response
