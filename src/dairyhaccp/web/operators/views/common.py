"""Helpers shared by the account and people pages."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dairyhaccp.web.operators.services import AccountError, LinkProblem

# A forged or unknown link does not exist; one that was good once is gone.
_LINK_STATUS = {
    LinkProblem.INVALID: 404,
    LinkProblem.EXPIRED: 410,
    LinkProblem.USED: 410,
    LinkProblem.REVOKED: 410,
}


def link_refused(request: HttpRequest, problem: LinkProblem, link: str) -> HttpResponse:
    """The page for an e-mailed link (`link`: "signup" or "invitation") that cannot be used."""
    return render(
        request,
        "registration/link_refused.html",
        {"problem": problem.value, "link": link},
        status=_LINK_STATUS[problem],
    )


def add_account_error(form: forms.Form, error: AccountError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.problem)
