"""API endpoints of the plans context."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["plans"])
