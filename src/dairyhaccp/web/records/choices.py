"""Choices of the records context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomKind(models.TextChoices):
    """What a room or piece of equipment is; it decides the periodic checks done there."""

    RIPENING_ROOM = "ripening_room", _("Ripening room")
    COLD_ROOM = "cold_room", _("Cold room")
    FREEZER = "freezer", _("Freezer")
    SHOP_CABINET = "shop_cabinet", _("Shop cabinet")
    BRINE_BATH = "brine_bath", _("Brine bath")
    MILK_TANK = "milk_tank", _("Milk tank")
    PRODUCTION_ROOM = "production_room", _("Production room")
    OTHER = "other", _("Other")


class Verdict(models.TextChoices):
    """The judgement of a registration by the core, as stored at that moment."""

    CONFORM = "conform", _("Conform")
    WARNING = "warning", _("Warning")
    DEVIATION = "deviation", _("Deviation")


class DeviationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """What became of the products concerned by a deviation."""

    REPASTEURISED = "repasteurised", _("Re-pasteurised")
    FURTHER_COOLED = "further_cooled", _("Further cooled")
    DESTROYED = "destroyed", _("Destroyed")
    RELEASED = "released", _("Released (with a justification)")
    OTHER = "other", _("Other (describe in the justification)")


# Outcomes that only stand with a written justification.
JUSTIFIED_OUTCOMES: frozenset[str] = frozenset({Outcome.RELEASED, Outcome.OTHER})


class DeviationEventKind(models.TextChoices):
    """What happened to a deviation; the events are its audit trail."""

    OPENED = "opened", _("Opened")
    ACTIONS = "actions", _("Corrective actions recorded")
    NOTIFIED = "notified", _("Notification to the FAVV recorded")
    CORRECTED = "corrected", _("Registration corrected")
    CLOSED = "closed", _("Closed")
