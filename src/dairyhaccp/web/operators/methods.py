"""Web pages answer only the methods a browser uses; the API routes its methods itself."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed

PAGE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
# django-ninja answers 405 per route, with the methods that route really has.
API_PREFIX = "/api/"


class AllowedMethodsMiddleware:
    """Answer 405 to PUT, PATCH, DELETE and any other method a page does not take."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in PAGE_METHODS:
            return HttpResponseNotAllowed(PAGE_METHODS)
        if request.method == "OPTIONS":
            # Pages are function views that would otherwise render themselves for OPTIONS.
            response = HttpResponse(status=200)
            response["Allow"] = ", ".join(PAGE_METHODS)
            response["Content-Length"] = "0"
            return response
        return self.get_response(request)
