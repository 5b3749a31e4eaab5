"""Forms that work without a connection: the service worker, what a form knows before it is
filled, and the answers to a registration or a task sent from the browser's waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dairyhaccp.plan.models import Plan
from dairyhaccp.web.operators.access import OperatorRequest
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.facts import FactLookup
from dairyhaccp.web.records.forms import FocusForm
from dairyhaccp.web.records.models import Batch, Registration, Room
from dairyhaccp.web.records.presentation import control_title
from dairyhaccp.web.records.services.keyed import RepeatedKeyError

QUEUE_HEADER = "X-Offline-Queue"


@cache
def _worker_source() -> str:
    found = finders.find("records/sw.js")
    path = found[0] if isinstance(found, list) else found
    assert path is not None, "records/sw.js is missing from the static files"
    return Path(path).read_text(encoding="utf-8")


@require_safe
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that its scope is the whole site; a HEAD of it
    tells the pages that keep registrations offline that the server can be reached."""
    response = HttpResponse(_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@dataclass(frozen=True)
class _Check:
    control_id: str
    batch: Batch | None
    room: Room | None


def fact_hints(
    operator: Operator,
    control_id: str,
    batch: Batch | None,
    room: Room | None,
    now: datetime | None = None,
) -> list[str]:
    """What the stored facts say of this check before it is filled: how long ago the milk was
    milked, the batch pasteurised, the milk processed (only the events its control uses)."""
    if batch is None and room is None:
        return []
    now = now or timezone.now()
    facts = FactLookup(operator).facts(_Check(control_id, batch, room), now, None)
    hints = []
    if facts.milked_at is not None and facts.milked_at <= now:
        hints.append(_("Milked {ago} ago.").format(ago=timesince(facts.milked_at, now)))
    if facts.pasteurised_at is not None and facts.pasteurised_at <= now:
        hints.append(_("Pasteurised {ago} ago.").format(ago=timesince(facts.pasteurised_at, now)))
    if facts.processed_at is not None and facts.processed_at <= now:
        hints.append(_("Processed {ago} ago.").format(ago=timesince(facts.processed_at, now)))
    return hints


def conform_message(plan: Plan, registration: Registration) -> str:
    """What the today page says of a conform check registered from it."""
    target = registration.batch or registration.room
    title = control_title(plan, registration.control_id)
    if target is not None:
        return _("Registered and conform: {check} · {target}.").format(check=title, target=target)
    return _("Registered and conform: {check}.").format(check=title)


def from_queue(request: HttpRequest) -> bool:
    """Whether the request was sent from the browser's waiting list (it wants a short answer)."""
    return request.headers.get(QUEUE_HEADER) == "1"


def _registration_url(request: OperatorRequest, registration_id: int) -> str:
    return reverse(
        "records:registration",
        kwargs={"operator_slug": request.operator.slug, "registration_id": registration_id},
    )


def stored_response(request: OperatorRequest, registration: Registration) -> JsonResponse:
    return JsonResponse(
        {"status": "stored", "url": _registration_url(request, registration.pk)}, status=201
    )


def refused_response(form: FocusForm) -> JsonResponse:
    errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    return JsonResponse({"status": "refused", "errors": errors}, status=400)


def repeated_key_response(request: OperatorRequest, repeated: RepeatedKeyError) -> HttpResponse:
    """A registration received before under the same key: refused, with a link to it."""
    url = _registration_url(request, repeated.registration_id) if repeated.registration_id else ""
    if from_queue(request):
        return JsonResponse({"status": "repeated", "url": url}, status=409)
    return render(
        request,
        "records/repeated.html",
        {"operator": request.operator, "url": url},
        status=409,
    )
