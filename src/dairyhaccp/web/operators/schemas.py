"""API schemas of the operators context."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.operators.choices import Role


class MembershipOut(Schema):
    """One operator the user belongs to, with the user's role there."""

    slug: str
    name: str
    role: Annotated[str, OneOf(Role)]


class MeOut(Schema):
    """The user behind the API token, the token's operator and all the user's operators."""

    username: str
    full_name: str
    email: str
    token_operator: str
    operators: list[MembershipOut]
