"""API schemas of the plans context."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class PlanVersionOut(Schema):
    """One stored version of the plan: who made it, when and why."""

    number: int
    created_at: datetime
    created_by: str
    change: str
    reason: str
    guide_version: str
    adaptation: dict[str, Any] | None
