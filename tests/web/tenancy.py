"""Shared check that views refuse another operator's pages and objects.

Parametrize a test with URL names and call `Tenancy.assert_refused`; see test_tenancy.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

# Builds an object of the given operator and returns the URL arguments that point at it.
ObjectKwargs = Callable[[Operator], Mapping[str, Any]]


@dataclass(frozen=True)
class Tenancy:
    """Two operators and an owner of the first one only."""

    own_operator: Operator
    foreign_operator: Operator
    user: User

    @classmethod
    def create(cls) -> Tenancy:
        own = create_operator("Kaasmakerij Eigen", slug="eigen")
        foreign = create_operator("Zuivelhoeve Ander", slug="ander")
        user = User.objects.create_user("eigenaar", password="pw-eigen-123")
        add_member(own, user, Role.OWNER)
        return cls(own_operator=own, foreign_operator=foreign, user=user)

    def assert_refused(
        self,
        client: Client,
        url_name: str,
        *,
        object_kwargs: ObjectKwargs | None = None,
        methods: Iterable[str] = ("get", "post"),
    ) -> None:
        """A member of one operator gets 404 for the other operator's page and objects.

        Without `object_kwargs` the URL takes only `operator_slug`. With it, a second check
        builds an object of the foreign operator and asks for it under the member's own slug.
        """
        client.force_login(self.user)
        foreign_kwargs = dict(object_kwargs(self.foreign_operator)) if object_kwargs else {}
        urls = [
            reverse(
                url_name, kwargs={"operator_slug": self.foreign_operator.slug, **foreign_kwargs}
            )
        ]
        if object_kwargs is not None:
            urls.append(
                reverse(
                    url_name, kwargs={"operator_slug": self.own_operator.slug, **foreign_kwargs}
                )
            )
        for url in urls:
            for method in methods:
                response = getattr(client, method)(url)
                assert response.status_code == 404, (
                    f"{method.upper()} {url} gave {response.status_code} to a non-member, not 404"
                )
