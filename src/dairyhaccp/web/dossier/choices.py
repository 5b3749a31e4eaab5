"""Choices of the dossier context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """Where the making of a dossier stands."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class JobStep(models.IntegerChoices):
    """The steps of making a dossier, as its progress shows them."""

    WAITING = 0, _("Waiting to start…")
    RECORDS = 1, _("Gathering the records of the period…")
    EVIDENCE = 2, _("Verifying the chain of the records…")
    LAYOUT = 3, _("Laying out the pages…")
    WRITING = 4, _("Writing the PDF and the CSV files…")
    DONE = 5, _("Ready")
