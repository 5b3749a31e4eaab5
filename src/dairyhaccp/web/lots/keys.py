"""Lot keys: `b<pk>` for a batch (a production or a milking), `i<pk>` for a received lot (the pk
of its first version)."""

from __future__ import annotations


def batch_key(batch_id: int) -> str:
    return f"b{batch_id}"


def input_key(first_id: int) -> str:
    return f"i{first_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    """('batch', 12) for 'b12', ('input', 7) for 'i7'; None for anything else."""
    if len(key) < 2 or len(key) > 20 or key[0] not in "bi" or not key[1:].isdigit():
        return None
    number = int(key[1:])
    if number < 1 or number >= 2**63:
        return None
    return ("batch" if key[0] == "b" else "input", number)


def lot_key_of(batch_id: int | None, input_lot_id: int | None) -> str:
    """The key of the lot a movement or an input points at (an input lot's first version)."""
    if batch_id is not None:
        return batch_key(batch_id)
    assert input_lot_id is not None
    return input_key(input_lot_id)
