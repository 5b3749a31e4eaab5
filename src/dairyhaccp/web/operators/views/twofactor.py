"""Two-factor login: the code asked after the password, and turning it on and off."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from dairyhaccp.web.labels.qr import qr_svg
from dairyhaccp.web.operators.forms import LoginCodeForm, LoginForm
from dairyhaccp.web.operators.lockout import lockout_response
from dairyhaccp.web.operators.services import twofactor

# The session key that holds a user who gave the right password and still owes a code.
PENDING = "dairyhaccp_login_pending"


def wrong_code() -> str:
    return _("Wrong code. Type the 6 digits your authenticator app shows now.")


class LoginView(auth_views.LoginView):
    """The password; for a user with two-factor login on, then the code (`login_code`)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
        }
        return redirect("login-code")


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the authenticator's current code."""
    pending: dict[str, Any] = request.session.get(PENDING) or {}
    user = User.objects.filter(pk=pending.get("user") or 0, is_active=True).first()
    device = twofactor.confirmed_device(user) if user is not None else None
    if user is None or device is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(device, form.cleaned_data["code"]):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(pending["next"])
        # Counted as a failed login: the lockout holds for codes as for passwords.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, credentials)
        form.add_error("code", wrong_code())
    return render(request, "registration/login_code.html", {"form": form})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The account's two-factor login: set up with a QR code and a first code, or turn off."""
    user = request.user
    assert isinstance(user, User)
    if not twofactor.may_use_two_factor(user):
        raise PermissionDenied
    form = LoginCodeForm(request.POST or None)
    device = twofactor.confirmed_device(user)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if twofactor.turn_off(user, form.cleaned_data["code"]):
                messages.success(request, _("Two-factor login is off."))
                return redirect("two-factor")
            form.add_error("code", wrong_code())
        return render(request, "registration/two_factor.html", {"on": True, "form": form})
    pending = twofactor.pending_device(user)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(pending, form.cleaned_data["code"]):
            otp_login(request, pending)
            twofactor.end_other_sessions(user, request.session.session_key)
            messages.success(
                request, _("Two-factor login is on: from now on, logging in asks for a code.")
            )
            return redirect("two-factor")
        form.add_error("code", wrong_code())
    context = {
        "on": False,
        "form": form,
        "qr_svg": qr_svg(pending.config_url, _("QR code for your authenticator app")),
        "secret": twofactor.secret_text(pending),
    }
    return render(request, "registration/two_factor.html", context)


__all__ = ["LoginView", "login_code", "two_factor"]
