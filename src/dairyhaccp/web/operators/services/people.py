"""The people of a business: invitations by e-mail, who has access, an auditor's period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.choices import INVITABLE_ROLES, InvitationState, Role
from dairyhaccp.web.operators.constants import (
    EARLIEST_ACCESS_YEAR,
    INVITATION_LINK_SALT,
    LATEST_ACCESS_YEAR,
)
from dairyhaccp.web.operators.models import ApiToken, Invitation, Membership, Operator
from dairyhaccp.web.operators.services.emails import send_templated_mail
from dairyhaccp.web.operators.services.errors import AccountError, LinkError, LinkProblem
from dairyhaccp.web.operators.services.links import make_token, new_nonce, read_token
from dairyhaccp.web.operators.services.signup import username_taken

_LINK_PROBLEMS = {
    InvitationState.ACCEPTED: LinkProblem.USED,
    InvitationState.REVOKED: LinkProblem.REVOKED,
    InvitationState.EXPIRED: LinkProblem.EXPIRED,
}


def check_period(role: Role | str, start: date | None, end: date | None, today: date) -> None:
    """Refuse a period that is not an auditor's, is out of order, or has ended."""
    if start is None and end is None:
        return
    if Role(role) != Role.AUDITOR:
        raise AccountError("access_from", _("Only an auditor's access can be limited to a period."))
    for field, day in (("access_from", start), ("access_until", end)):
        if day is not None and not EARLIEST_ACCESS_YEAR <= day.year <= LATEST_ACCESS_YEAR:
            raise AccountError(
                field,
                _("Choose a date between {first} and {last}.").format(
                    first=EARLIEST_ACCESS_YEAR, last=LATEST_ACCESS_YEAR
                ),
            )
    if start is not None and end is not None and end < start:
        raise AccountError("access_until", _("The period ends before it starts."))
    if end is not None and end < today:
        raise AccountError("access_until", _("This period has ended already."))


@transaction.atomic
def invite(
    operator: Operator,
    invited_by: User,
    email: str,
    role: Role | str,
    access_from: date | None,
    access_until: date | None,
    language: str,
    link_for: Callable[[str], str],
) -> Invitation:
    """Invite `email` to join `operator` with `role` and mail the link; an earlier invitation
    of the same address that still waits is withdrawn."""
    role = Role(role)
    if role not in INVITABLE_ROLES:
        raise AccountError("role", _("This role cannot be given by invitation."))
    now = timezone.now()
    check_period(role, access_from, access_until, timezone.localdate(now))
    email = email.strip()
    if Membership.objects.filter(operator=operator, user__email__iexact=email).exists():
        raise AccountError("email", _("Someone with this e-mail address has access already."))
    Invitation.objects.for_operator(operator).filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=invited_by)
    invitation = Invitation(
        operator=operator,
        email=email,
        role=role,
        access_from=access_from,
        access_until=access_until,
        language=language,
        nonce=new_nonce(),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    send_templated_mail(
        email,
        "invitation",
        {
            "operator": operator,
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),
            "role": invitation.get_role_display(),
            "access_from": access_from,
            "access_until": access_until,
            "expires_at": invitation.expires_at,
            "link": link_for(make_token(invitation.pk, invitation.nonce, INVITATION_LINK_SALT)),
        },
        language,
    )
    return invitation


def invitation_for(token: str) -> Invitation:
    """The invitation the link's token stands for, if it can still be accepted; else
    LinkError saying why."""
    # The row's own expiry decides; the signature only proves the link was made here.
    pk, nonce = read_token(token, INVITATION_LINK_SALT, max_age=None)
    invitation = (
        Invitation.objects.select_related("operator", "invited_by")
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if invitation is None:
        raise LinkError(LinkProblem.INVALID)
    state = invitation.state(timezone.now())
    if state in _LINK_PROBLEMS:
        raise LinkError(_LINK_PROBLEMS[state])
    return invitation


@transaction.atomic
def accept_invitation(token: str, user: User) -> Membership:
    """Give `user` the invited role; the link then no longer works."""
    invitation = invitation_for(token)
    # Taken again under the write lock: of two acceptances at once, one finds it used.
    invitation = (
        Invitation.objects.select_for_update().select_related("operator").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise LinkError(LinkProblem.USED)
    current = Membership.objects.filter(user=user, operator=invitation.operator).first()
    if current is not None:
        raise AccountError(
            None,
            _("You have access to {business} already, as {role}.").format(
                business=invitation.operator.name, role=current.get_role_display().lower()
            ),
        )
    membership = Membership.objects.create(
        user=user,
        operator=invitation.operator,
        role=invitation.role,
        access_from=invitation.access_from,
        access_until=invitation.access_until,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def accept_invitation_with_new_account(
    token: str, username: str, first_name: str, last_name: str, password_hash: str
) -> Membership:
    """Make an account for the invited e-mail address and accept the invitation with it."""
    invitation = invitation_for(token)
    if User.objects.filter(username=username).exists():
        raise AccountError("username", username_taken())
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username,
                email=invitation.email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                password=password_hash,
            )
    except IntegrityError:
        raise AccountError("username", username_taken()) from None
    return accept_invitation(token, user)


@transaction.atomic
def revoke_invitation(invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation that waits; its link stops working."""
    if invitation.state(timezone.now()) != InvitationState.PENDING:
        raise AccountError(None, _("Only an invitation that waits for an answer can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


@transaction.atomic
def revoke_access(membership: Membership) -> None:
    """Take a member's access away, with their API tokens for this operator; the records they
    made stay theirs. The last owner cannot be removed."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER:
        owners = Membership.objects.filter(operator=membership.operator, role=Role.OWNER)
        if owners.count() <= 1:
            raise AccountError(
                None,
                _("The business needs an owner: invite another owner before removing this one."),
            )
    ApiToken.objects.filter(user=membership.user, operator=membership.operator).delete()
    membership.delete()


@transaction.atomic
def set_access_period(
    membership: Membership, access_from: date | None, access_until: date | None
) -> Membership:
    """Limit an auditor's access to a period, or lift the limit (both dates empty)."""
    check_period(membership.role, access_from, access_until, timezone.localdate())
    membership.access_from = access_from
    membership.access_until = access_until
    membership.save(update_fields=["access_from", "access_until"])
    return membership
