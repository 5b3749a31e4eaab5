"""Demo content of the records context: the rooms of the demo farm (idempotent)."""

from __future__ import annotations

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.models import Room
from dairyhaccp.web.records.services import create_room

DEMO_ROOMS: tuple[tuple[str, str, str, str], ...] = (
    ("Kaaskelder", RoomKind.RIPENING_ROOM, "Hoevekaas", ""),
    ("Koelcel", RoomKind.COLD_ROOM, "", "dairy_chilled"),
    ("Pekelbad", RoomKind.BRINE_BATH, "Hoevekaas", ""),
    ("Melktank", RoomKind.MILK_TANK, "raw_milk", ""),
)


def load_records_demo(operator: Operator) -> None:
    """Give the demo operator its rooms once; a second run changes nothing."""
    if Room.objects.for_operator(operator).exists():
        return
    for name, kind, product, category in DEMO_ROOMS:
        create_room(operator, name, kind, product=product, storage_category=category)
