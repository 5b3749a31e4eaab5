"""Choices of the operators context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member may do for an operator."""

    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")
    AUDITOR = "auditor", _("Auditor")
    # A farm's veterinarian: records treatments in the farm's antibiotics register.
    VET = "vet", _("Veterinarian")
    # The standard's owner: sees aggregates of all farms, never a single farm.
    SECTOR = "sector", _("Sector")


# Roles that may change anything; auditors only read (vets write only the farm's treatments).
WRITING_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.STAFF})
