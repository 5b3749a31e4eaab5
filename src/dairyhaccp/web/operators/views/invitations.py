"""Accepting an invitation: with the account one is logged in with, or a new one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.constants import LOGIN_BACKEND
from dairyhaccp.web.operators.forms import NewAccountForm
from dairyhaccp.web.operators.models import Membership
from dairyhaccp.web.operators.services import (
    AccountError,
    LinkError,
    accept_invitation,
    accept_invitation_with_new_account,
    invitation_for,
)
from dairyhaccp.web.operators.views.common import add_account_error, link_refused


def invitation(request: HttpRequest, token: str) -> HttpResponseBase:
    """The e-mailed invitation: who invites to what, and one button to accept it."""
    try:
        invited = invitation_for(token)
    except LinkError as refused:
        return link_refused(request, refused.problem, "invitation")
    form = (
        None
        if request.user.is_authenticated
        else NewAccountForm(request.POST or None, email=invited.email)
    )
    error = None
    if request.method == "POST":
        membership: Membership | None = None
        try:
            if form is None:
                membership = accept_invitation(token, request.user)  # type: ignore[arg-type]  # logged in
            elif form.is_valid():
                data = form.cleaned_data
                membership = accept_invitation_with_new_account(
                    token,
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password_hash=make_password(data["password1"]),
                )
                login(request, membership.user, backend=LOGIN_BACKEND)
        except LinkError as refused:
            return link_refused(request, refused.problem, "invitation")
        except AccountError as refusal:
            if form is None:
                error = refusal.problem
            else:
                add_account_error(form, refusal)
        if membership is not None:
            messages.success(
                request,
                _("Welcome to {business}.").format(business=membership.operator.name),
            )
            return redirect("operators:dashboard", operator_slug=membership.operator.slug)
    return render(
        request,
        "registration/invitation.html",
        {
            "invitation": invited,
            "form": form,
            "error": error,
            "login_url": f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}",
        },
        status=409 if error else 200,
    )
