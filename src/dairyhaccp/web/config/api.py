"""The HTTP API: one NinjaAPI with per-user bearer tokens, one router per bounded context."""

from __future__ import annotations

import copy
from typing import Any

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.openapi.schema import OpenAPISchema
from pydantic import BaseModel

from dairyhaccp import __version__
from dairyhaccp.web.apischema import ERROR_RESPONSES
from dairyhaccp.web.dossier.api import router as dossier_router
from dairyhaccp.web.farm.api import router as farm_router
from dairyhaccp.web.jsontext import JSONTextRenderer
from dairyhaccp.web.lab.api import router as lab_router
from dairyhaccp.web.labels.api import router as labels_router
from dairyhaccp.web.loggers.api import router as loggers_router
from dairyhaccp.web.lots.api import router as lots_router
from dairyhaccp.web.operators.api import router as operators_router
from dairyhaccp.web.operators.auth import ApiTokenAuth
from dairyhaccp.web.operators.middleware import OUT_OF_RANGE, out_of_range_message
from dairyhaccp.web.plans.api import router as plans_router
from dairyhaccp.web.records.api import router as records_router

# One line per bounded context: (URL prefix under /api/, router).
context_routers: list[tuple[str, Router]] = [
    ("/", operators_router),
    ("/", plans_router),
    ("/", records_router),
    ("/", lab_router),
    ("/", lots_router),
    ("/", labels_router),
    ("/", farm_router),
    ("/", loggers_router),
    ("/", dossier_router),
]

# Security schemes whose routes also check the member's role and period (403).
ROLE_CHECKED = {"ApiTokenAuth"}


def error_codes_of(operation: dict[str, Any]) -> set[int]:
    """The error answers an operation can give, read from what it takes and how it is guarded."""
    parameters = operation.get("parameters", [])
    takes_input = bool(parameters) or "requestBody" in operation
    codes = {500}
    if takes_input:
        # 400: an unreadable body or a number the database cannot hold; 422: refused input.
        codes |= {400, 422}
    if any(parameter.get("in") == "path" for parameter in parameters):
        codes.add(404)
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    if schemes:
        codes.add(401)
    if schemes & ROLE_CHECKED:
        codes.add(403)
    return codes


def _error_components() -> tuple[dict[str, Any], dict[type[BaseModel], dict[str, str]]]:
    """The schemas of the error bodies, once, and a reference to each."""
    components: dict[str, Any] = {}
    refs: dict[type[BaseModel], dict[str, str]] = {}
    for model, _description in ERROR_RESPONSES.values():
        if model in refs:
            continue
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(definition.pop("$defs", {}))
        components[model.__name__] = definition
        refs[model] = {"$ref": f"#/components/schemas/{model.__name__}"}
    return components, refs


_ERROR_SCHEMAS = _error_components()


class DocumentedNinjaAPI(NinjaAPI):
    """A NinjaAPI whose schema lists the JSON error answers of every operation.

    The schema is made once per process (and path prefix): the routes do not change."""

    _schemas: dict[str, OpenAPISchema]

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        key = repr((args, sorted(kwargs.items())))
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = self._documented_schema(*args, **kwargs)
        schema: OpenAPISchema = copy.deepcopy(cache[key])
        return schema

    def _documented_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(*args, **kwargs)
        components, refs = _ERROR_SCHEMAS
        known = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in components.items():
            known.setdefault(name, definition)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for code in sorted(error_codes_of(operation)):
                    if str(code) in responses or code in responses:
                        continue
                    model, description = ERROR_RESPONSES[code]
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": refs[model]}},
                    }
        return schema


api = DocumentedNinjaAPI(
    title="dairyhaccp",
    version=__version__,
    description="Self-check (HACCP) of a dairy. Send `Authorization: Bearer <token>`.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    renderer=JSONTextRenderer(),
)
for prefix, router in context_routers:
    api.add_router(prefix, router)


def out_of_range_response(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    return api.create_response(request, {"detail": out_of_range_message()}, status=400)


for _error in OUT_OF_RANGE:
    api.add_exception_handler(_error, out_of_range_response)


def refused_response(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """A refusal raised the Django way inside an API route, answered as JSON."""
    if isinstance(exc, PermissionDenied):
        status, detail = 403, _("You may not do this.")
    else:
        status, detail = 400, _("The request is not valid.")
    response = api.create_response(request, {"detail": detail}, status=status)
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
    return response


def server_error_response(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """Any other error on an API route: JSON for the client, the traceback for the log."""
    response = api.create_response(
        request,
        {"detail": _("Server error. It has been logged; please try again later.")},
        status=500,
    )
    # As Django does for a page: error reporting hooks, then one log record with the traceback.
    signals.got_request_exception.send(sender=None, request=request)
    log_response(
        "Internal Server Error: %s",
        request.path,
        response=response,
        request=request,
        exception=exc if isinstance(exc, BaseException) else None,
    )
    return response


for _refusal in (PermissionDenied, BadRequest, SuspiciousOperation):
    api.add_exception_handler(_refusal, refused_response)
api.add_exception_handler(Exception, server_error_response)
