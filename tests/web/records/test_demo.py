"""The demo farm gets its rooms, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dairyhaccp.web.records.models import Room

pytestmark = pytest.mark.django_db


def test_the_demo_has_its_rooms_and_a_second_load_adds_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load_demo")
    call_command("load_demo")
    kinds = sorted(Room.objects.values_list("kind", flat=True))
    assert kinds == ["brine_bath", "cold_room", "milk_tank", "ripening_room"]
