"""Fixtures of the account tests: sign-up data, links from e-mails, people of a business."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator

from ..conftest import PASSWORD

NEW_PASSWORD = "wei-en-wrongel-83"
# A unit number with the right check digits (97 - 21234567 mod 97 = 91).
UNIT_NUMBER = "2.123.456.791"


def signup_data(**changes: str) -> dict[str, str]:
    """A complete sign-up form; `changes` replace fields."""
    data = {
        "name": "Hoeve Het Klaverblad",
        "address": "Kerkstraat 12\n9870 Zulte",
        "favv_number": "2123456791",
        "kind": "both",
        "first_name": "An",
        "last_name": "Peeters",
        "email": "an@klaverblad.example",
        "username": "an",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def link_in_mail(index: int = -1) -> str:
    """The path of the one link in the e-mail at `index` of the outbox."""
    body = mail.outbox[index].body
    links = re.findall(r"https?://[^/\s]+(/\S+)", body)
    assert len(links) == 1, body
    return links[0]


@pytest.fixture
def english(client: Client) -> Client:
    """The client, with pages in English."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def member_client(make_member: Callable[..., User]) -> Callable[..., Client]:
    """A logged-in client of a new member with `role` at `operator`."""

    def make(operator: Operator, role: Role, username: str | None = None) -> Client:
        client = Client()
        client.force_login(make_member(operator, role, username=username))
        return client

    return make


def form_errors(response: Any, field: str) -> list[str]:
    """The errors of one field of the page's form."""
    return list(response.context["form"].errors.get(field, []))


__all__ = ["NEW_PASSWORD", "PASSWORD", "UNIT_NUMBER", "form_errors", "link_in_mail", "signup_data"]
