"""Pasteurisation equivalence (CCP 9): required holds, single checks and logged traces."""

from __future__ import annotations

from dairyhaccp.thermal.equivalence import (
    MEDIA,
    HoldCheck,
    Medium,
    PasteurisationCode,
    check_hold,
    lowest_validated_c,
    reference_point,
    required_hold_s,
    z_value,
)
from dairyhaccp.thermal.lethality import TraceLethality, TracePoint, lethality_of_trace

__all__ = [
    "MEDIA",
    "HoldCheck",
    "Medium",
    "PasteurisationCode",
    "TraceLethality",
    "TracePoint",
    "check_hold",
    "lethality_of_trace",
    "lowest_validated_c",
    "reference_point",
    "required_hold_s",
    "z_value",
]
