"""The HTTP API: one NinjaAPI with per-user bearer tokens, one router per bounded context."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router

from dairyhaccp import __version__
from dairyhaccp.web.lab.api import router as lab_router
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
]

api = NinjaAPI(
    title="dairyhaccp",
    version=__version__,
    description="Self-check (HACCP) of a dairy. Send `Authorization: Bearer <token>`.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
)
for prefix, router in context_routers:
    api.add_router(prefix, router)


def out_of_range_response(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    return api.create_response(request, {"detail": out_of_range_message()}, status=400)


for _error in OUT_OF_RANGE:
    api.add_exception_handler(_error, out_of_range_response)
