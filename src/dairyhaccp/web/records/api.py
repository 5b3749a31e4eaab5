"""API endpoints of the records context."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["records"])
