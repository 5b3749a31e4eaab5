"""A number too large for the database is bad input, never a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# SQLite raises OverflowError, PostgreSQL DataError ("integer out of range"), when a number
# typed in an address or a form does not fit a database column.
OUT_OF_RANGE = (OverflowError, DataError)


def out_of_range_message() -> str:
    return _("A number in the request is too large or too small.")


class OutOfRangeMiddleware:
    """Answer 400 with a clear message where a number does not fit the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUT_OF_RANGE):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": out_of_range_message()}, status=400)
        return render(request, "400.html", {"message": out_of_range_message()}, status=400)
