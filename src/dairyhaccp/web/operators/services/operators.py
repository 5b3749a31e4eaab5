"""Writes of the operators context: operators, members and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web import compiled
from dairyhaccp.web.operators.choices import BusinessKind, Role
from dairyhaccp.web.operators.constants import API_TOKEN_PREFIX, RESERVED_SLUGS, SLUG_BASE_LENGTH
from dairyhaccp.web.operators.models import ApiToken, Membership, Operator
from dairyhaccp.web.operators.selectors import membership_for
from dairyhaccp.web.operators.unit_number import format_unit_number, unit_number_problem


@dataclass(frozen=True)
class IssuedApiToken:
    """A new API token: the stored row and the clear token, shown to the user this once."""

    token: ApiToken
    clear_token: str


# How often a token's use is written down: at most once a minute.
TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


def validate_operator_slug(slug: str) -> None:
    """Refuse a slug that is empty or taken by a site-wide URL."""
    if not slug:
        raise ValidationError(_("The short name may not be empty."), code="empty")
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("The short name {slug} is reserved; choose another.").format(slug=slug),
            code="reserved",
        )


@dataclass(frozen=True)
class BusinessDetails:
    """Who a business is: what the audit dossier and the plan print on their cover."""

    name: str
    address: str = ""
    favv_number: str = ""
    kind: BusinessKind = BusinessKind.PROCESSOR
    active_since: date | None = None


def free_operator_slug(name: str) -> str:
    """A short name for web addresses made from `name` that no operator or site URL uses."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "zuivel"
    slug, counter = base, 1
    while slug in RESERVED_SLUGS or Operator.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


@transaction.atomic
def create_operator(
    name: str, slug: str | None = None, details: BusinessDetails | None = None
) -> Operator:
    """Create an operator; the slug defaults to the slugified name."""
    slug = slug if slug is not None else slugify(name)
    validate_operator_slug(slug)
    details = details or BusinessDetails(name=name)
    operator = Operator(
        name=name.strip(),
        slug=slug,
        address=details.address.strip(),
        favv_number=format_unit_number_or_keep(details.favv_number),
        kind=BusinessKind(details.kind),
        active_since=details.active_since,
    )
    operator.full_clean()
    operator.save()
    return operator


@transaction.atomic
def rename_operator(operator: Operator, name: str) -> Operator:
    """Change the operator's display name; its slug, and so its web addresses, stay."""
    operator.name = name.strip()
    operator.full_clean()
    operator.save(update_fields=["name"])
    return operator


@transaction.atomic
def update_operator_details(operator: Operator, details: BusinessDetails) -> Operator:
    """Change the name, address, FAVV unit number, kind and start; the web addresses stay."""
    operator.name = details.name.strip()
    operator.address = details.address.strip()
    operator.favv_number = format_unit_number_or_keep(details.favv_number)
    operator.kind = BusinessKind(details.kind)
    operator.active_since = details.active_since
    operator.full_clean()
    operator.save(update_fields=["name", "address", "favv_number", "kind", "active_since"])
    return operator


@transaction.atomic
def set_plan_responsibility(
    operator: Operator, responsible_person: str, approved_on: date | None
) -> Operator:
    """Who answers for the plan and the day they approved the plan in force (plan cover)."""
    operator.responsible_person = responsible_person.strip()
    operator.plan_approved_on = approved_on
    operator.full_clean()
    operator.save(update_fields=["responsible_person", "plan_approved_on"])
    return operator


def format_unit_number_or_keep(text: str) -> str:
    """The unit number written the KBO's way; a text that is none is kept for the model's
    validation to refuse with its message."""
    text = text.strip()
    return format_unit_number(text) if text and unit_number_problem(text) is None else text


@transaction.atomic
def add_member(operator: Operator, user: User, role: Role | str) -> Membership:
    """Give `user` the `role` at `operator`; a current member gets the new role."""
    role = Role(role)
    membership, _created = Membership.objects.update_or_create(
        user=user, operator=operator, defaults={"role": role}
    )
    return membership


def hash_api_token(clear_token: str) -> str:
    """The stored form of a clear API token (tokens are random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(clear_token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User, operator: Operator, label: str = "") -> IssuedApiToken:
    """Issue an API token for a member of `operator`; only its hash is stored."""
    if not Membership.objects.filter(user=user, operator=operator).exists():
        raise PermissionDenied(_("Only a member of the operator can get an API token for it."))
    clear_token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, operator=operator, token_hash=hash_api_token(clear_token), label=label
    )
    return IssuedApiToken(token=token, clear_token=clear_token)


@dataclass(frozen=True)
class ApiAccess:
    """A token that authenticated, and the membership it acts through."""

    token: ApiToken
    membership: Membership


def authenticate_api_token(clear_token: str) -> ApiAccess | None:
    """The token matching `clear_token` and its membership, if its user is active and still a
    member; else None.

    Records the time of use, to the minute: a token used again within a minute writes nothing.
    """
    digest = hash_api_token(clear_token)
    token = compiled.first(
        ("api token", digest),
        lambda: (
            ApiToken.objects.select_related("user", "operator")
            .filter(token_hash=digest)
            .order_by()[:1]
        ),
    )
    if token is None or not token.user.is_active:
        return None
    membership = membership_for(token.user, token.operator)
    if membership is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return ApiAccess(token, membership)
