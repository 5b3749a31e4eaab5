"""The owner's page of people: who has access, invitations, an auditor's period."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.operators import selectors
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    require_role,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.forms import AccessPeriodForm, InviteForm
from dairyhaccp.web.operators.models import Invitation, Membership
from dairyhaccp.web.operators.services import (
    AccountError,
    invite,
    revoke_access,
    revoke_invitation,
    set_access_period,
)
from dairyhaccp.web.operators.views.common import add_account_error
from dairyhaccp.web.operators.wording import short_date


def _to_people(request: OperatorRequest) -> HttpResponseBase:
    return redirect("operators:people", operator_slug=request.operator.slug)


@require_role(Role.OWNER)
def people(request: OperatorRequest) -> HttpResponse:
    """Who has access and in which role, and the invitations sent."""
    now = timezone.now()
    return render(
        request,
        "operators/people.html",
        {
            "operator": request.operator,
            "members": selectors.members_of(request.operator),
            "invitations": [
                (invitation, invitation.state(now).value)
                for invitation in selectors.recent_invitations(request.operator)
            ],
        },
    )


@require_role(Role.OWNER)
def invite_person(request: OperatorRequest) -> HttpResponseBase:
    """Invite someone by e-mail with a role (and, for an auditor, a period)."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access_from, access_until = form.period()
        try:
            invitation = invite(
                request.operator,
                request.user,
                form.cleaned_data["email"],
                form.chosen_role(),
                access_from,
                access_until,
                language=form.cleaned_data["language"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("invitation", kwargs={"token": token})
                ),
            )
        except AccountError as error:
            add_account_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to {email}. Its link works until {day}.").format(
                    email=invitation.email,
                    day=short_date(timezone.localdate(invitation.expires_at)),
                ),
            )
            return _to_people(request)
    return render(
        request,
        "operators/invite.html",
        {
            "operator": request.operator,
            "form": form,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


@require_role(Role.OWNER)
def remove_access(request: OperatorRequest, membership_id: int) -> HttpResponseBase:
    """Ask, then take a member's access away."""
    membership = get_for_operator_or_404(
        Membership.objects.select_related("user"), request.operator, pk=membership_id
    )
    error = None
    if request.method == "POST":
        try:
            revoke_access(membership)
        except AccountError as refusal:
            error = refusal.problem
        else:
            messages.success(
                request,
                _("{person} no longer has access.").format(person=membership.user.get_username()),
            )
            if membership.user_id == request.user.pk:
                return redirect("home")
            return _to_people(request)
    return render(
        request,
        "operators/remove_access.html",
        {"operator": request.operator, "membership": membership, "error": error},
        status=409 if error else 200,
    )


@require_role(Role.OWNER)
def access_period(request: OperatorRequest, membership_id: int) -> HttpResponseBase:
    """Limit an auditor's access to a period, or lift the limit."""
    membership = get_for_operator_or_404(
        Membership.objects.select_related("user"), request.operator, pk=membership_id
    )
    form = AccessPeriodForm(
        request.POST or None,
        initial={"access_from": membership.access_from, "access_until": membership.access_until},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_access_period(membership, *form.period())
        except AccountError as error:
            add_account_error(form, error)
        else:
            messages.success(request, _("Period saved."))
            return _to_people(request)
    return render(
        request,
        "operators/access_period.html",
        {"operator": request.operator, "membership": membership, "form": form},
    )


@require_role(Role.OWNER)
def withdraw_invitation(request: OperatorRequest, invitation_id: int) -> HttpResponseBase:
    """Ask, then withdraw an invitation that waits; its link stops working."""
    invitation = get_for_operator_or_404(
        Invitation.objects.all(), request.operator, pk=invitation_id
    )
    error = None
    if request.method == "POST":
        try:
            revoke_invitation(invitation, request.user)
        except AccountError as refusal:
            error = refusal.problem
        else:
            messages.success(
                request,
                _("The invitation to {email} is withdrawn.").format(email=invitation.email),
            )
            return _to_people(request)
    return render(
        request,
        "operators/withdraw_invitation.html",
        {"operator": request.operator, "invitation": invitation, "error": error},
        status=409 if error else 200,
    )
