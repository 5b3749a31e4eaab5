"""Reads of the operators context."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, IntegerField, QuerySet, Value, When

from dairyhaccp.web import compiled
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Invitation, Membership, Operator

# Invitations listed on the people page, newest first.
RECENT_INVITATIONS = 30


def operators_for_user(user: User | AnonymousUser) -> QuerySet[Operator]:
    """The operators `user` is a member of, by name."""
    if not user.is_authenticated:
        return Operator.objects.none()
    return Operator.objects.filter(memberships__user=user).order_by("name")


def memberships_for_user(user: User | AnonymousUser) -> QuerySet[Membership]:
    """The memberships of `user` with their operators, by operator name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user).select_related("operator").order_by("operator__name")
    )


def membership_for(user: User | AnonymousUser, operator: Operator | str) -> Membership | None:
    """The membership of `user` in `operator` (an Operator or its slug), or None."""
    if not user.is_authenticated:
        return None
    lookup: dict[str, object] = (
        {"operator__slug": operator} if isinstance(operator, str) else {"operator": operator.pk}
    )
    # One row at most (unique per user and operator), asked unsorted: `first` would sort by the
    # model's ordering and join the user table for it on every page.
    return compiled.first(
        ("membership", user.pk, *lookup.items()),
        lambda: (
            Membership.objects.select_related("operator").filter(user=user, **lookup).order_by()[:1]
        ),
    )


def members_of(operator: Operator) -> QuerySet[Membership]:
    """Who has access to `operator`: owners first, then by username."""
    role_order = Case(
        *(When(role=role, then=Value(index)) for index, role in enumerate(Role.values)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(operator=operator)
        .select_related("user")
        .order_by(role_order, "user__username")
    )


def recent_invitations(operator: Operator) -> list[Invitation]:
    """The latest invitations of `operator`, newest first."""
    return list(
        Invitation.objects.for_operator(operator)
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at")[:RECENT_INVITATIONS]
    )
