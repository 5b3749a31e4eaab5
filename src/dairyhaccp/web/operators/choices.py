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


# Roles an owner may give by invitation; the sector role is given by the back office.
INVITABLE_ROLES: tuple[Role, ...] = (Role.OWNER, Role.STAFF, Role.AUDITOR, Role.VET)


class BusinessKind(models.TextChoices):
    """What a business is: it decides which parts of the app matter to it."""

    PROCESSOR = "processor", _("Dairy processor")
    DAIRY_FARM = "dairy_farm", _("Dairy farm")
    BOTH = "both", _("Dairy farm that processes its milk")


# Roles that may change anything; auditors only read (vets write only the farm's treatments).
WRITING_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.STAFF})


class InvitationState(models.TextChoices):
    """Where an invitation stands."""

    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("withdrawn")
    EXPIRED = "expired", _("expired")
