"""Sign-up of a new business: a pending sign-up, its e-mailed link, and the verification that
makes the owner's account and the operator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.choices import BusinessKind, Role
from dairyhaccp.web.operators.constants import SIGNUP_LINK_SALT
from dairyhaccp.web.operators.models import Operator, PendingSignUp
from dairyhaccp.web.operators.services.emails import send_templated_mail
from dairyhaccp.web.operators.services.errors import AccountError, LinkError, LinkProblem
from dairyhaccp.web.operators.services.links import make_token, new_nonce, read_token
from dairyhaccp.web.operators.services.operators import (
    BusinessDetails,
    add_member,
    create_operator,
    free_operator_slug,
)


@dataclass(frozen=True)
class AccountDetails:
    """The person who signs up: they become the owner."""

    first_name: str
    last_name: str
    email: str
    username: str


def email_in_use(email: str) -> bool:
    """Whether an account with this e-mail address exists (capitals do not count)."""
    return User.objects.filter(email__iexact=email.strip()).exists()


def username_in_use(username: str) -> bool:
    """Whether an account with this username exists."""
    return User.objects.filter(username=username).exists()


def email_taken() -> str:
    """The refusal of an e-mail address another account has."""
    return _("An account with this e-mail address exists already. Log in, or reset its password.")


def username_taken() -> str:
    """The refusal of a username another account has."""
    return _("This username is taken; choose another.")


def _check_account_is_free(account: AccountDetails) -> None:
    if email_in_use(account.email):
        raise AccountError("email", email_taken())
    if username_in_use(account.username):
        raise AccountError("username", username_taken())


@transaction.atomic
def start_signup(
    business: BusinessDetails,
    account: AccountDetails,
    password_hash: str,
    language: str,
    link_for: Callable[[str], str],
) -> PendingSignUp:
    """Keep the sign-up until its e-mail address is verified and mail the link to it.

    `link_for` turns the token into the absolute URL of the verification page. A newer sign-up
    for the same address makes the older link useless.
    """
    _check_account_is_free(account)
    email = account.email.strip()
    PendingSignUp.objects.filter(email__iexact=email, verified_at__isnull=True).delete()
    pending = PendingSignUp(
        business_name=business.name.strip(),
        address=business.address.strip(),
        favv_number=business.favv_number,
        kind=business.kind,
        active_since=business.active_since,
        first_name=account.first_name.strip(),
        last_name=account.last_name.strip(),
        email=email,
        username=account.username,
        password_hash=password_hash,
        language=language,
        nonce=new_nonce(),
    )
    pending.full_clean()
    pending.save()
    send_templated_mail(
        email,
        "signup",
        {
            "first_name": pending.first_name,
            "business_name": pending.business_name,
            "link": link_for(make_token(pending.pk, pending.nonce, SIGNUP_LINK_SALT)),
            "valid_hours": settings.SIGNUP_LINK_VALID_HOURS,
        },
        language,
    )
    return pending


def pending_signup_for(token: str) -> PendingSignUp:
    """The sign-up the link's token stands for; LinkError when it cannot be used (any more)."""
    pk, nonce = read_token(
        token, SIGNUP_LINK_SALT, max_age=timedelta(hours=settings.SIGNUP_LINK_VALID_HOURS)
    )
    pending = PendingSignUp.objects.filter(pk=pk, nonce=nonce).first()
    if pending is None:
        raise LinkError(LinkProblem.INVALID)
    if pending.verified_at is not None:
        raise LinkError(LinkProblem.USED)
    return pending


@dataclass(frozen=True)
class VerifiedSignUp:
    """The owner's new account and their business."""

    user: User
    operator: Operator


@transaction.atomic
def verify_signup(token: str) -> VerifiedSignUp:
    """Make the owner's account and the business of a sign-up whose link was followed; once."""
    pending = pending_signup_for(token)
    # Taken again under the write lock: of two clicks at once, one finds it verified.
    pending = PendingSignUp.objects.select_for_update().get(pk=pending.pk)
    if pending.verified_at is not None:
        raise LinkError(LinkProblem.USED)
    account = AccountDetails(pending.first_name, pending.last_name, pending.email, pending.username)
    _check_account_is_free(account)
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=pending.username,
                email=pending.email,
                first_name=pending.first_name,
                last_name=pending.last_name,
                password=pending.password_hash,
            )
    except IntegrityError:
        raise AccountError("username", username_taken()) from None
    operator = create_business(
        user,
        BusinessDetails(
            name=pending.business_name,
            address=pending.address,
            favv_number=pending.favv_number,
            kind=BusinessKind(pending.kind),
            active_since=pending.active_since,
        ),
    )
    pending.verified_at = timezone.now()
    pending.password_hash = ""
    pending.operator = operator
    pending.save(update_fields=["verified_at", "password_hash", "operator"])
    return VerifiedSignUp(user=user, operator=operator)


@transaction.atomic
def create_business(owner: User, business: BusinessDetails) -> Operator:
    """A new operator with `owner` as its owner, under a free short name made from its name."""
    operator = create_operator(
        business.name, slug=free_operator_slug(business.name), details=business
    )
    add_member(operator, owner, Role.OWNER)
    return operator
