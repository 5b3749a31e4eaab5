"""Choices of the operators context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member may do for an operator."""

    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")
    AUDITOR = "auditor", _("Auditor")


# Roles that may change anything; auditors only read.
WRITING_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.STAFF})
