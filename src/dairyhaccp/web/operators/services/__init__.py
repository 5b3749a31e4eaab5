"""Writes of the operators context: operators, members, API tokens, sign-up and invitations."""

from __future__ import annotations

from dairyhaccp.web.operators.services.errors import AccountError, LinkError, LinkProblem
from dairyhaccp.web.operators.services.operators import (
    ApiAccess,
    BusinessDetails,
    IssuedApiToken,
    add_member,
    authenticate_api_token,
    create_operator,
    free_operator_slug,
    hash_api_token,
    issue_api_token,
    rename_operator,
    set_plan_responsibility,
    update_operator_details,
    validate_operator_slug,
)
from dairyhaccp.web.operators.services.people import (
    accept_invitation,
    accept_invitation_with_new_account,
    check_period,
    invitation_for,
    invite,
    revoke_access,
    revoke_invitation,
    set_access_period,
)
from dairyhaccp.web.operators.services.signup import (
    AccountDetails,
    VerifiedSignUp,
    create_business,
    pending_signup_for,
    start_signup,
    verify_signup,
)

__all__ = [
    "AccountDetails",
    "AccountError",
    "ApiAccess",
    "BusinessDetails",
    "IssuedApiToken",
    "LinkError",
    "LinkProblem",
    "VerifiedSignUp",
    "accept_invitation",
    "accept_invitation_with_new_account",
    "add_member",
    "authenticate_api_token",
    "check_period",
    "create_business",
    "create_operator",
    "free_operator_slug",
    "hash_api_token",
    "invitation_for",
    "invite",
    "issue_api_token",
    "pending_signup_for",
    "rename_operator",
    "revoke_access",
    "revoke_invitation",
    "set_access_period",
    "set_plan_responsibility",
    "start_signup",
    "update_operator_details",
    "validate_operator_slug",
    "verify_signup",
]
