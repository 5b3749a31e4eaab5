"""Kinds and products in words of the page's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from dairyhaccp.web.lots import presentation
from dairyhaccp.web.lots.choices import DispositionKind, InputKind, MovementKind
from dairyhaccp.web.lots.presentation import kind_label, product_label
from dairyhaccp.web.records.constants import RAW_MILK


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_kind_is_said_in_the_words_of_its_own_choices(lang: str) -> None:
    with translation.override(lang):
        for choices in (InputKind, MovementKind, DispositionKind):
            for kind in choices:
                assert kind_label(kind.value) == str(kind.label)
        # a batch of the dairy's own raw milk, not a received lot of bought raw milk
        assert product_label(RAW_MILK) == translation.gettext("Raw milk")
        for kind in InputKind:
            if kind.value != RAW_MILK:
                assert product_label(kind.value) == str(kind.label)


def test_what_is_not_a_kind_is_given_as_it_is() -> None:
    assert kind_label("Gouda jong") == "Gouda jong"
    assert product_label("Gouda jong") == "Gouda jong"
    # a movement's kind is not a product
    movement = next(iter(MovementKind)).value
    assert movement not in InputKind.values
    assert product_label(movement) == movement


def test_a_quantity_is_written_in_the_language_it_is_asked_in_however_often() -> None:
    values = [Decimal("1250"), Decimal("0.05"), Decimal("1.0"), Decimal("1.00"), Decimal("12.5")]
    for lang in ("nl", "fr", "en", "nl", "en"):
        with translation.override(lang):
            for value in values:
                for unit in ("kg", "l", "pcs", "box"):
                    expected = f"{presentation.number(value)} {presentation.unit_label(unit)}"
                    assert presentation.quantity(value, unit) == expected
    with translation.override("nl"):
        assert presentation.quantity(Decimal("1250.50"), "kg") == "1.250,5 kg"
    with translation.override("en"):
        assert presentation.quantity(Decimal("1250.50"), "kg") == "1,250.5 kg"
