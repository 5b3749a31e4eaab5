"""The session and the signed-in user, read by statements written once: the same answers as
Django's own reads, expired sessions, closed accounts and changed passwords included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.operators.backends import ModelBackend
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _fields(user: User | None) -> list[object] | None:
    return None if user is None else [getattr(user, f.attname) for f in User._meta.concrete_fields]


def test_the_site_uses_them() -> None:
    assert settings.SESSION_ENGINE == "dairyhaccp.web.operators.sessions"
    assert "dairyhaccp.web.operators.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS


def test_a_session_reads_as_djangos_store_reads_it() -> None:
    made = SessionStore()
    made["operator"] = "de-wei"
    made["numbers"] = [1, 2.5]
    made.save()
    key = made.session_key
    assert (
        SessionStore(key).load()
        == DjangoSessionStore(key).load()
        == {
            "operator": "de-wei",
            "numbers": [1, 2.5],
        }
    )


def test_an_expired_or_unknown_session_reads_as_none_and_loses_its_key() -> None:
    made = SessionStore()
    made["operator"] = "de-wei"
    made.save()
    Session.objects.filter(session_key=made.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (made.session_key, "x" * 32):
        ours, django = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == django.load() == {}
        assert ours.session_key is None and django.session_key is None


def test_the_user_of_a_session_reads_as_djangos_backend_reads_it(
    owner: User, make_member: object
) -> None:
    assert _fields(ModelBackend().get_user(owner.pk)) == _fields(
        DjangoModelBackend().get_user(owner.pk)
    )
    assert ModelBackend().get_user(owner.pk + 1000) is None
    owner.is_active = False
    owner.save()
    assert ModelBackend().get_user(owner.pk) is None
    assert DjangoModelBackend().get_user(owner.pk) is None


def test_a_signed_in_member_stays_in_until_the_password_changes_or_the_session_expires(
    owner_client: Client, owner: User, operator: Operator
) -> None:
    page = f"/{operator.slug}/"
    assert owner_client.get(page).status_code == 200
    assert owner_client.get(page).status_code == 200
    owner.set_password("an entirely new one 42")
    owner.save()
    assert owner_client.get(page).status_code == 302

    owner_client.force_login(owner)
    assert owner_client.get(page).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert owner_client.get(page).status_code == 302


def test_a_member_signs_in_with_the_form_and_is_found_again(
    client: Client, owner: User, operator: Operator
) -> None:
    owner.set_password("a password of the dairy 7")
    owner.save()
    answer = client.post(
        "/accounts/login/", {"username": owner.username, "password": "a password of the dairy 7"}
    )
    assert answer.status_code == 302
    assert client.get(f"/{operator.slug}/").status_code == 200
