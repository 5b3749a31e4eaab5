"""Views of the operators context: start pages, sign-up, invitations, people, passwords."""

from __future__ import annotations

from dairyhaccp.web.operators.views.start import dashboard, home, operator_settings

__all__ = ["dashboard", "home", "operator_settings"]
