"""Choices of the farm context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Species(models.TextChoices):
    """The dairy animals of a herd."""

    COW = "cow", _("Cows")
    GOAT = "goat", _("Goats")
    SHEEP = "sheep", _("Sheep")
    BUFFALO = "buffalo", _("Buffaloes")


class Region(models.TextChoices):
    """Where the farm lies; it decides the scheme's name (IKM, QFL, QMK) and the sector groups."""

    FLANDERS = "flanders", _("Flanders (IKM)")
    WALLONIA = "wallonia", _("Wallonia (QFL)")
    GERMAN_SPEAKING = "german_speaking", _("German-speaking area (QMK)")


class Route(models.TextChoices):
    """How a medicine was given."""

    INTRAMAMMARY = "intramammary", _("Intramammary (udder)")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular")
    INTRAVENOUS = "intravenous", _("Intravenous")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
    ORAL = "oral", _("Oral")
    INTRAUTERINE = "intrauterine", _("Intrauterine")
    TOPICAL = "topical", _("On the skin")
    OTHER = "other", _("Other")


class WithdrawalUnit(models.TextChoices):
    """The unit a milk withdrawal period is typed in; stored in hours (a day is 24 h)."""

    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class AnswerChoice(models.TextChoices):
    """A self-assessment answer; the values are the core's (`dairyhaccp.ikm.models.Answer`)."""

    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AuditKind(models.TextChoices):
    REGULAR = "regular", _("Regular audit")
    UNANNOUNCED = "unannounced", _("Unannounced audit")
    FOLLOW_UP = "follow_up", _("Follow-up audit")


class Decision(models.TextChoices):
    """The certification decision; the values are the core's (`certificate.Decision`)."""

    STANDARD = "standard", _("Certificate for the standard term")
    SHORT = "short", _("Certificate for the short term")
    NONE = "none", _("No certificate")


class NotificationKind(models.TextChoices):
    """What the farm notified (module F, duty to notify)."""

    ANTIBIOTICS_IN_MILK = "antibiotics_in_milk", _("Antibiotics found in delivered milk")
    NOTIFIABLE_DISEASE = "notifiable_disease", _("Notifiable animal disease")
    FEED_CONTAMINATION = "feed_contamination", _("Contaminated feed")
    WATER_CONTAMINATION = "water_contamination", _("Contaminated water")
    OTHER = "other", _("Other")
