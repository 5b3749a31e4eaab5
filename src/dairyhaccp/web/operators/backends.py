"""Signing in with a username and password, and finding the signed-in user on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.contrib.auth.models import User

from dairyhaccp.web import compiled


class ModelBackend(backends.ModelBackend):
    """Django's own, with the user of a session read by a query compiled once per user (Django
    built and compiled it on every request, which cost more than the read). The row itself is
    read on every request: a password changed or an account closed counts at once."""

    def get_user(self, user_id: Any) -> User | None:
        user = compiled.first(
            ("signed-in user", user_id), lambda: User._default_manager.filter(pk=user_id)
        )
        return user if user is not None and self.user_can_authenticate(user) else None
