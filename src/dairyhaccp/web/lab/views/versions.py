"""What correcting and withdrawing a lab result share, for raw milk and finished products."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from dairyhaccp.web.lab.forms import ReasonForm
from dairyhaccp.web.lab.models import LabRecord
from dairyhaccp.web.operators.access import OperatorRequest

Done = Callable[[], HttpResponseBase]


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields: on the form)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def correction_page(
    request: OperatorRequest,
    form: Any,
    correct: Callable[..., object],
    entry: uuid.UUID,
    done: Done,
    template: str,
    latest: LabRecord,
) -> HttpResponseBase:
    """Store the form as a new version with the reason, or show the form with its errors."""
    reason = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason.is_valid():
        try:
            correct(
                request.operator,
                request.user,
                entry,
                form.to_input(),
                reason.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Correction saved as a new version."))
            return done()
    return render(
        request,
        template,
        {"operator": request.operator, "form": form, "reason": reason, "result": latest},
    )


def withdraw_page(
    request: OperatorRequest,
    latest: LabRecord,
    withdraw: Callable[..., object],
    done: Done,
    what: str,
) -> HttpResponseBase:
    """Take a wrongly entered result out with the reason; it stays in the history."""
    if latest.withdrawn:
        raise Http404("Already withdrawn.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdraw(request.operator, request.user, latest.entry, form.cleaned_data["reason"])
        messages.success(request, _("The result was withdrawn."))
        return done()
    return render(
        request, "lab/withdraw.html", {"operator": request.operator, "form": form, "what": what}
    )
