"""Choices of the plans context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionChange(models.TextChoices):
    """What made a new plan version."""

    PROFILE = "profile", _("Answers to the questions about the business")
    ADAPTATION = "adaptation", _("Adaptation of the plan")


class AdaptationKind(models.TextChoices):
    """The changes to a plan the guide allows, with a written justification."""

    ADD_STEP = "add_step", _("Add a step")
    DROP_STEP = "drop_step", _("Drop a step")
    CHANGE_LIMIT = "change_limit", _("Change a limit")
    ADD_ACTION = "add_action", _("Add a corrective action")
    DROP_ACTION = "drop_action", _("Drop a corrective action")
    DROP_CONTROL = "drop_control", _("Drop a CCP or PVA")


class PdfStatus(models.TextChoices):
    """Where the making of a plan's PDF stands."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
