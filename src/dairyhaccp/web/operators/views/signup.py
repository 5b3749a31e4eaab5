"""Sign-up of a new business, the e-mailed link, and its verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.constants import LOGIN_BACKEND
from dairyhaccp.web.operators.forms import BusinessForm, SignUpForm
from dairyhaccp.web.operators.services import (
    AccountError,
    LinkError,
    create_business,
    pending_signup_for,
    start_signup,
    verify_signup,
)
from dairyhaccp.web.operators.views.common import add_account_error, link_refused

# The session remembers where the link went, for the "check your e-mail" page.
SIGNUP_EMAIL_KEY = "signup_email"


def _wizard(operator_slug: str) -> HttpResponseBase:
    return redirect("plans:profile", operator_slug=operator_slug)


def signup(request: HttpRequest) -> HttpResponseBase:
    """Sign up a new business; a logged-in user adds one to their account at once."""
    if request.user.is_authenticated:
        return _signup_logged_in(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            start_signup(
                form.business(),
                form.account(),
                make_password(form.cleaned_data["password1"]),
                language=(get_language() or settings.LANGUAGE_CODE)[:2],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("signup-verify", kwargs={"token": token})
                ),
            )
        except AccountError as error:
            add_account_error(form, error)
        else:
            request.session[SIGNUP_EMAIL_KEY] = form.cleaned_data["email"]
            return redirect("signup-sent")
    return render(request, "registration/signup.html", {"form": form})


def _signup_logged_in(request: HttpRequest) -> HttpResponseBase:
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operator = create_business(request.user, form.business())  # type: ignore[arg-type]  # logged in
        messages.success(
            request, _("Your business is ready: describe what you make, and the plan follows.")
        )
        return _wizard(operator.slug)
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    """Tell where the link went and how long it works."""
    return render(
        request,
        "registration/signup_sent.html",
        {
            "email": request.session.get(SIGNUP_EMAIL_KEY, ""),
            "valid_hours": settings.SIGNUP_LINK_VALID_HOURS,
        },
    )


def signup_verify(request: HttpRequest, token: str) -> HttpResponseBase:
    """The e-mailed link: one tap makes the account and the business, then the wizard opens.

    Opening the link changes nothing (mail scanners open links too); the button does.
    """
    try:
        pending = pending_signup_for(token)
    except LinkError as refused:
        return link_refused(request, refused.problem, "signup")
    error = None
    if request.method == "POST":
        try:
            verified = verify_signup(token)
        except LinkError as refused:
            return link_refused(request, refused.problem, "signup")
        except AccountError as refusal:
            error = refusal.problem
        else:
            login(request, verified.user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("Welcome. Your account is ready: describe what you make, and the plan follows."),
            )
            return _wizard(verified.operator.slug)
    return render(
        request,
        "registration/signup_verify.html",
        {"pending": pending, "error": error},
        status=409 if error else 200,
    )
