"""Choices of the labels context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LabelLanguage(models.TextChoices):
    """The language printed on a label; independent of the language of the pages."""

    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    EN = "en", _("English")


class DateType(models.TextChoices):
    """The kind of date a label carries (Reg. 1169/2011 art. 24): decided by the core."""

    USE_BY = "use_by", _("use-by date")
    BEST_BEFORE = "best_before", _("best-before date")
