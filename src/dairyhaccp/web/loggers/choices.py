"""Choices of the loggers context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeriesSource(models.TextChoices):
    """Where the new readings of a day's series came from."""

    FILE = "file", _("Logger file")
    PUSH = "push", _("Sent by the logger")


class DayVerdict(models.TextChoices):
    """A judged day: the verdict of its series (incomplete: readings missing, none too warm)."""

    CONFORM = "conform", _("Conform")
    WARNING = "warning", _("Warning")
    DEVIATION = "deviation", _("Deviation")
    INCOMPLETE = "incomplete", _("Incomplete")
