"""Choices of the lots context."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """The unit of a lot's quantity; every movement of the lot is in it."""

    KG = "kg", _("kg")
    LITRE = "l", _("l")
    PIECES = "pieces", _("pieces")


class InputKind(models.TextChoices):
    """What a received lot is: bought raw milk, an ingredient or packaging."""

    RAW_MILK = "raw_milk", _("Bought raw milk")
    STARTER = "starter", _("Starter")
    RENNET = "rennet", _("Rennet")
    SALT = "salt", _("Salt")
    CULTURE = "culture", _("Culture")
    HERBS = "herbs", _("Herbs and spices")
    FRUIT = "fruit", _("Fruit and preparations")
    PACKAGING = "packaging", _("Packaging")
    OTHER = "other", _("Other ingredient")


class ProductionKind(models.TextChoices):
    """Whether a batch's quantity is a production's yield or a milking of the own herd."""

    PRODUCTION = "production", _("Production")
    MILKING = "milking", _("Milking")


class DateKind(models.TextChoices):
    """The date a lot is marked with."""

    BEST_BEFORE = "best_before", _("Best before")
    USE_BY = "use_by", _("Use by")


class MovementKind(models.TextChoices):
    """What left a lot (or what a count found left of it)."""

    DELIVER = "deliver", _("Delivered to a customer")
    SELL = "sell", _("Sold to consumers")
    DESTROY = "destroy", _("Destroyed or lost")
    COUNT = "count", _("Stock count")


class CustomerKind(models.TextChoices):
    """Who a customer is."""

    SHOP = "shop", _("Shop")
    RESTAURANT = "restaurant", _("Restaurant")
    WHOLESALER = "wholesaler", _("Wholesaler")
    DAIRY = "dairy", _("Another dairy")
    OTHER = "other", _("Other")


class RecallTrigger(models.TextChoices):
    """What opened a withdrawal or recall."""

    DEVIATION = "deviation", _("A deviation")
    LAB_RESULT = "lab_result", _("An unsatisfactory lab result")
    ANTIBIOTICS = "antibiotics", _("Antibiotic residues in the milk")
    SUPPLIER_ALERT = "supplier_alert", _("A supplier's alert on an input lot")
    MANUAL = "manual", _("By hand")


class Origin(models.TextChoices):
    """Where the hazard arose."""

    IN_HOUSE = "in_house", _("In my own business")
    SUPPLIER = "supplier", _("At a supplier")


class DispositionKind(models.TextChoices):
    """What became of an affected quantity."""

    DESTROYED = "destroyed", _("Destroyed")
    REPROCESSED = "reprocessed", _("Reprocessed")
    RETURNED = "returned", _("Returned")
    RELEASED = "released", _("Released after a favourable analysis")


class RecallEventKind(models.TextChoices):
    """A step in the life of a recall."""

    NOTIFIED = "notified", _("FAVV notified")
    CUSTOMER_INFORMED = "customer_informed", _("Customer informed")
