"""Kinds and products in words of the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

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
